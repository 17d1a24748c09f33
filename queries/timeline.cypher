// name: timeline
// description: Events in date order (by their resolved time, else the report's date), with place, count and source.
// params:
//   from: {type: date, default: "", description: "Earliest date, YYYY[-MM[-DD]]; empty for no limit"}
//   to: {type: date, default: "", description: "Latest date, YYYY[-MM[-DD]]; empty for no limit"}
MATCH (e:Event)-[:REPORTED_IN]->(art:Article)
WITH e, art, coalesce(e.time_start, art.published, '') AS date
WHERE ($from = '' OR date >= $from) AND ($to = '' OR date <= $to OR date STARTS WITH $to)
OPTIONAL MATCH (e)-[:OCCURRED_IN]->(p:Place)
RETURN date, e.time_text AS as_reported, e.event_type AS type, e.label AS event,
       p.name AS place, e.count AS count, art.title AS article, e.id AS id
ORDER BY date, event, id, article
