// name: neighbourhood
// description: Everything within a few steps of an actor (statements, events, other actors), nearest first; articles are left out.
// params:
//   actor: {type: actor, required: true, description: "Actor id, name or alias"}
//   depth: {type: int, default: "2", description: "How many steps, 1 to 4"}
MATCH p = (a:Actor {id: $actor})-[:SAID|ABOUT|PARTICIPATED_IN|OCCURRED_IN|INVOLVES|MEMBER_OF|SPOKESPERSON_FOR|FAMILY_OF|LEADER_OF*1..4]-(n)
WHERE length(p) <= $depth AND n.id <> a.id
WITH n, min(length(p)) AS distance
RETURN n.id AS id, coalesce(n.name, n.label, n.text, n.explanation) AS name, distance
ORDER BY distance, id
