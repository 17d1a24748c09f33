// name: contradictions
// description: Contradictory statements, strongest first, with both quotes, both speakers and their roles, and both sources.
// params:
//   min_score: {type: float, default: "0", description: "Only contradictions scoring at least this (0 to 1)"}
//   status: {type: string, default: "", description: "open, confirmed or rejected; empty for open and confirmed"}
//   basis: {type: string, default: "", description: "polarity, existence, numeric, responsibility or shift; empty for all"}
MATCH (c:Contradiction)-[i:INVOLVES]->(s:Statement)<-[:SAID]-(p:Actor)
MATCH (s)-[:REPORTED_IN]->(art:Article)
WHERE c.score >= $min_score
  AND ((c.status = $status) OR ($status = '' AND c.status <> 'rejected'))
  AND ($basis = '' OR c.basis = $basis)
// One row per side, folded into one row per contradiction. (Matching the two sides as two
// patterns is the natural form, but LadybugDB 0.22 drops rows from that join.)
WITH c,
     max(CASE WHEN i.side = 'a' THEN p.name END) AS speaker_a,
     max(CASE WHEN i.side = 'a' THEN s.speaker_role END) AS role_a,
     max(CASE WHEN i.side = 'a' THEN s.stance END) AS stance_a,
     max(CASE WHEN i.side = 'a' THEN s.text END) AS quote_a,
     max(CASE WHEN i.side = 'a' THEN art.title END) AS source_a,
     max(CASE WHEN i.side = 'a' THEN art.publisher END) AS publisher_a,
     max(CASE WHEN i.side = 'b' THEN p.name END) AS speaker_b,
     max(CASE WHEN i.side = 'b' THEN s.speaker_role END) AS role_b,
     max(CASE WHEN i.side = 'b' THEN s.stance END) AS stance_b,
     max(CASE WHEN i.side = 'b' THEN s.text END) AS quote_b,
     max(CASE WHEN i.side = 'b' THEN art.title END) AS source_b,
     max(CASE WHEN i.side = 'b' THEN art.publisher END) AS publisher_b
RETURN c.id AS id, c.basis AS basis, c.status AS status, c.score AS score,
       speaker_a, role_a, stance_a, quote_a, source_a, publisher_a,
       speaker_b, role_b, stance_b, quote_b, source_b, publisher_b,
       c.explanation AS explanation
ORDER BY score DESC, basis, id
