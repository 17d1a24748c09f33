// name: statements_about
// description: Statements about an event, actor or topic (matched by id, or by words in its name or label), with speaker and source.
// params:
//   subject: {type: string, required: true, description: "Id, or words of the name or label (e.g. Lapunov)"}
MATCH (speaker:Actor)-[:SAID]->(s:Statement)-[:ABOUT]->(x), (s)-[:REPORTED_IN]->(art:Article)
WHERE x.id = $subject OR toLower(coalesce(x.name, x.label, '')) CONTAINS toLower($subject)
RETURN DISTINCT coalesce(x.name, x.label) AS subject, speaker.name AS speaker, s.speaker_role AS role,
       s.stance AS stance, s.kind AS kind, s.text AS text, art.title AS article,
       coalesce(s.date, art.published) AS date, s.id AS statement
ORDER BY subject, date, statement
