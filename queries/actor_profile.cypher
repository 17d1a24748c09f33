// name: actor_profile
// description: What an actor said, what others said about them, and the events they took part in, each with its source.
// params:
//   actor: {type: actor, required: true, description: "Actor id, name or alias (e.g. Kadyrov)"}
// sort: [date, relation, start_offset, text]
MATCH (a:Actor {id: $actor})-[:SAID]->(s:Statement)-[:REPORTED_IN]->(art:Article)
RETURN 'said' AS relation, s.text AS text, s.stance AS stance, a.name AS speaker,
       art.title AS article, art.publisher AS publisher, coalesce(s.date, art.published) AS date,
       s.start_offset AS start_offset, s.end_offset AS end_offset
UNION ALL
MATCH (other:Actor)-[:SAID]->(s:Statement)-[:ABOUT]->(a:Actor {id: $actor}), (s)-[:REPORTED_IN]->(art:Article)
RETURN 'said about them' AS relation, s.text AS text, s.stance AS stance, other.name AS speaker,
       art.title AS article, art.publisher AS publisher, coalesce(s.date, art.published) AS date,
       s.start_offset AS start_offset, s.end_offset AS end_offset
UNION ALL
MATCH (a:Actor {id: $actor})-[p:PARTICIPATED_IN]->(e:Event)-[:REPORTED_IN]->(art:Article)
RETURN 'took part as ' + p.role AS relation, e.label AS text, e.event_type AS stance, '' AS speaker,
       art.title AS article, art.publisher AS publisher, coalesce(e.time_start, art.published) AS date,
       e.start_offset AS start_offset, e.end_offset AS end_offset
