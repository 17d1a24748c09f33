// name: contradictions
// description: Contradictory statements, strongest first, with both quotes, both speakers and their roles, and both sources.
// params:
//   min_score: {type: float, default: "0", description: "Only contradictions scoring at least this (0 to 1)"}
//   status: {type: string, default: "", description: "open, confirmed or rejected; empty for open and confirmed"}
//   basis: {type: string, default: "", description: "polarity, existence, numeric, responsibility or shift; empty for all"}
//   actor: {type: actor, default: "", description: "Only those where this actor (id, name or alias) speaks on either side"}
//   since: {type: date, default: "", description: "Only those reported in an article dated this or later, YYYY[-MM[-DD]]; a 2018-07 article matches 2018-07-15"}
//   until: {type: date, default: "", description: "Only those reported in an article dated this or earlier, YYYY[-MM[-DD]]"}
MATCH (c:Contradiction)-[i:INVOLVES]->(s:Statement)<-[:SAID]-(p:Actor)
MATCH (s)-[:REPORTED_IN]->(art:Article)
WHERE c.score >= $min_score
  AND ((c.status = $status) OR ($status = '' AND c.status <> 'rejected'))
  AND ($basis = '' OR c.basis = $basis)
// One row per side, folded into one row per contradiction. (Matching the two sides as two
// patterns is the natural form, but LadybugDB 0.22 drops rows from that join.)
// An article's date is as precise as its source: it is in the range when it may fall in it.
WITH c,
     max(CASE WHEN i.side = 'a' THEN s.id END) AS a,
     max(CASE WHEN i.side = 'a' THEN p.id END) AS speaker_id_a,
     max(CASE WHEN i.side = 'a' THEN p.name END) AS speaker_a,
     max(CASE WHEN i.side = 'a' THEN s.speaker_role END) AS role_a,
     max(CASE WHEN i.side = 'a' THEN s.stance END) AS stance_a,
     max(CASE WHEN i.side = 'a' THEN s.text END) AS quote_a,
     max(CASE WHEN i.side = 'a' THEN art.title END) AS source_a,
     max(CASE WHEN i.side = 'a' THEN art.publisher END) AS publisher_a,
     max(CASE WHEN i.side = 'a' THEN art.published END) AS date_a,
     max(CASE WHEN i.side = 'b' THEN s.id END) AS b,
     max(CASE WHEN i.side = 'b' THEN p.id END) AS speaker_id_b,
     max(CASE WHEN i.side = 'b' THEN p.name END) AS speaker_b,
     max(CASE WHEN i.side = 'b' THEN s.speaker_role END) AS role_b,
     max(CASE WHEN i.side = 'b' THEN s.stance END) AS stance_b,
     max(CASE WHEN i.side = 'b' THEN s.text END) AS quote_b,
     max(CASE WHEN i.side = 'b' THEN art.title END) AS source_b,
     max(CASE WHEN i.side = 'b' THEN art.publisher END) AS publisher_b,
     max(CASE WHEN i.side = 'b' THEN art.published END) AS date_b,
     max(CASE WHEN $actor = '' OR p.id = $actor THEN 1 ELSE 0 END) AS by_actor,
     max(CASE WHEN ($since = '' OR art.published >= $since OR $since STARTS WITH art.published)
                   AND ($until = '' OR art.published <= $until OR art.published STARTS WITH $until)
              THEN 1 ELSE 0 END) AS in_range
WHERE by_actor = 1 AND in_range = 1
RETURN c.id AS id, c.basis AS basis, c.status AS status, c.score AS score,
       speaker_a, role_a, stance_a, quote_a, source_a, publisher_a,
       speaker_b, role_b, stance_b, quote_b, source_b, publisher_b,
       c.explanation AS explanation,
       a, b, speaker_id_a, speaker_id_b, date_a, date_b
ORDER BY score DESC, basis, id
