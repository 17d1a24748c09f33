// name: paths_between
// description: The shortest chains linking two actors (through statements, events and relations), up to a number of hops.
// params:
//   source: {type: actor, required: true, description: "Actor id, name or alias"}
//   target: {type: actor, required: true, description: "Actor id, name or alias"}
//   max_hops: {type: int, default: "6", description: "Longest chain to look for, 1 to 8"}
// sort: [hops, via, links]
MATCH p = (a:Actor {id: $source})-[:SAID|ABOUT|PARTICIPATED_IN|OCCURRED_IN|INVOLVES|MEMBER_OF|SPOKESPERSON_FOR|FAMILY_OF|LEADER_OF* ALL SHORTEST 1..8]-(b:Actor {id: $target})
WHERE length(p) <= $max_hops
RETURN length(p) AS hops,
       list_transform(nodes(p), x -> coalesce(x.name, x.label, x.text, x.explanation)) AS via,
       list_transform(rels(p), r -> label(r)) AS links
// dialect: neo4j
MATCH p = allShortestPaths((a:Actor {id: $source})-[:SAID|ABOUT|PARTICIPATED_IN|OCCURRED_IN|INVOLVES|MEMBER_OF|SPOKESPERSON_FOR|FAMILY_OF|LEADER_OF*1..8]-(b:Actor {id: $target}))
WHERE length(p) <= $max_hops
RETURN length(p) AS hops,
       [x IN nodes(p) | coalesce(x.name, x.label, x.text, x.explanation)] AS via,
       [r IN relationships(p) | type(r)] AS links
