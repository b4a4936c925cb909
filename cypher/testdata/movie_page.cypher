MATCH (this:Movie {movieId: $p0}) RETURN {`#key`: this.movieId, `title`: this.title, `year`: this.year, `synopsis`: this.synopsis, `cover`: head([url1 IN [this.posterUrl] WHERE url1 IS NOT NULL | {`url`: url1, `caption`: this.coverCaption}]), `genres`: 
  COLLECT { MATCH (this)-[r2:IN_GENRE]->(n3) WHERE r2.implied IS NULL WITH n3, r2 ORDER BY n3.name RETURN {`name`: n3.name} }, `directors`: 
  COLLECT { MATCH (this)<-[r4:DIRECTED]-(n5) WITH n5, r4 ORDER BY n5.name, n5.personId RETURN {`#key`: n5.personId, `name`: n5.name} }, `cast`: 
  COLLECT { MATCH (this)<-[r6:ACTED_IN]-(n7) WITH n7, r6 ORDER BY r6.order, n7.personId LIMIT $p1 RETURN {`order`: r6.order, `person`: {`name`: n7.name}} }, `ratingSummary`: {`id`: this.movieId, `average`: round(this.ratingAverage, 1), `count`: this.ratingCount}} AS this

// params
{
  "p0": 80969,
  "p1": 10
}
