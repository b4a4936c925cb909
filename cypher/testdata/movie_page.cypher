MATCH (this:Movie {movieId: $p0}) RETURN {`#key`: this.movieId, `title`: this.title, `year`: this.year, `synopsis`: this.synopsis, `cover`: CASE WHEN this.posterUrl IS NULL THEN null ELSE {`url`: this.posterUrl, `caption`: this.coverCaption} END, `genres`: 
  COLLECT { MATCH (this)-[r1:IN_GENRE]->(n2) WHERE r1.implied IS NULL WITH n2, r1 ORDER BY n2.name RETURN {`#key`: n2.name, `name`: n2.name} }, `directors`: 
  COLLECT { MATCH (this)<-[r3:DIRECTED]-(n4) WITH n4, r3 ORDER BY n4.name, n4.personId RETURN {`#key`: n4.personId, `name`: n4.name} }, `cast`: 
  COLLECT { MATCH (this)<-[r5:ACTED_IN]-(n6) WITH n6, r5 ORDER BY r5.order, n6.personId LIMIT $p1 RETURN {`order`: r5.order, `person`: {`#key`: n6.personId, `name`: n6.name}} }, `ratingSummary`: {`id`: this.movieId, `average`: round(this.ratingAverage, 1), `count`: this.ratingCount}} AS this

// params
{
  "p0": 80969,
  "p1": 10
}
