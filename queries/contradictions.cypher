// name: contradictions
// description: Contradictory statements, strongest first, with both quotes and where they stand in their articles, both speakers and their roles, and both sources.
// params:
//   min_score: {type: float, default: "0", description: "Only contradictions scoring at least this (0 to 1)"}
//   status: {type: string, default: "", description: "open, confirmed or rejected; empty for open and confirmed"}
//   basis: {type: string, default: "", description: "polarity, existence, numeric, responsibility or shift; empty for all"}
//   actor: {type: actor, default: "", description: "Only those where this actor (id, name or alias) speaks on either side"}
//   since: {type: date, default: "", description: "Only those reported in an article dated this or later, YYYY[-MM[-DD]]; a 2018-07 article matches 2018-07-15"}
//   until: {type: date, default: "", description: "Only those reported in an article dated this or earlier, YYYY[-MM[-DD]]"}
//   skip: {type: int, default: "0", description: "Leave out this many of the strongest first (for reading a page at a time)"}
//   limit: {type: int, default: "1000000000", description: "At most this many; the default is all"}
MATCH (c:Contradiction)
// The contradictions are filtered and ordered, and one page of them is taken, before their
// statements, speakers and articles are joined and folded: folding every contradiction at
// once does not fit a 1 GB LadybugDB buffer pool at 100,000 articles (360,000 contradictions).
// An article's date is as precise as its source: it is in the range when it may fall in it.
WHERE c.score >= $min_score
  AND ((c.status = $status) OR ($status = '' AND c.status <> 'rejected'))
  AND ($basis = '' OR c.basis = $basis)
  AND ($actor = '' OR EXISTS { MATCH (c)-[:INVOLVES]->(:Statement)<-[:SAID]-(p:Actor) WHERE p.id = $actor })
  AND (($since = '' AND $until = '') OR EXISTS {
        MATCH (c)-[:INVOLVES]->(:Statement)-[:REPORTED_IN]->(art:Article)
        WHERE ($since = '' OR art.published >= $since OR $since STARTS WITH art.published)
          AND ($until = '' OR art.published <= $until OR art.published STARTS WITH $until) })
WITH c ORDER BY c.score DESC, c.basis, c.id SKIP $skip LIMIT $limit
MATCH (c)-[i:INVOLVES]->(s:Statement)<-[:SAID]-(p:Actor)
MATCH (s)-[:REPORTED_IN]->(art:Article)
// One row per side, folded into one row per contradiction. (Matching the two sides as two
// patterns is the natural form, but LadybugDB 0.22 drops rows from that join.)
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
     max(CASE WHEN i.side = 'a' THEN s.start_offset END) AS start_a,
     max(CASE WHEN i.side = 'a' THEN s.end_offset END) AS end_a,
     max(CASE WHEN i.side = 'a' THEN art.sha256 END) AS article_sha256_a,
     max(CASE WHEN i.side = 'b' THEN s.id END) AS b,
     max(CASE WHEN i.side = 'b' THEN p.id END) AS speaker_id_b,
     max(CASE WHEN i.side = 'b' THEN p.name END) AS speaker_b,
     max(CASE WHEN i.side = 'b' THEN s.speaker_role END) AS role_b,
     max(CASE WHEN i.side = 'b' THEN s.stance END) AS stance_b,
     max(CASE WHEN i.side = 'b' THEN s.text END) AS quote_b,
     max(CASE WHEN i.side = 'b' THEN art.title END) AS source_b,
     max(CASE WHEN i.side = 'b' THEN art.publisher END) AS publisher_b,
     max(CASE WHEN i.side = 'b' THEN art.published END) AS date_b,
     max(CASE WHEN i.side = 'b' THEN s.start_offset END) AS start_b,
     max(CASE WHEN i.side = 'b' THEN s.end_offset END) AS end_b,
     max(CASE WHEN i.side = 'b' THEN art.sha256 END) AS article_sha256_b
RETURN c.id AS id, c.basis AS basis, c.status AS status, c.score AS score,
       speaker_a, role_a, stance_a, quote_a, source_a, publisher_a,
       speaker_b, role_b, stance_b, quote_b, source_b, publisher_b,
       c.explanation AS explanation,
       a, b, speaker_id_a, speaker_id_b, date_a, date_b,
       start_a, end_a, article_sha256_a, start_b, end_b, article_sha256_b
ORDER BY score DESC, basis, id
