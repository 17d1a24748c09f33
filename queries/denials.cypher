// name: denials
// description: Per actor, how many denials they made and whose accounts those denials contradict.
MATCH (denier:Actor)-[:SAID]->(d:Statement)
WHERE d.stance = 'denial'
WITH denier, count(d) AS denials
OPTIONAL MATCH (denier)-[:SAID]->(:Statement)<-[:INVOLVES]-(c:Contradiction)-[:INVOLVES]->(:Statement)<-[:SAID]-(witness:Actor)
WHERE witness.id <> denier.id AND c.status <> 'rejected'
WITH denier, denials, witness ORDER BY witness.name SKIP 0
WITH denier, denials, collect(DISTINCT witness.name) AS contradicted
RETURN denier.name AS actor, denials, contradicted
ORDER BY denials DESC, actor
