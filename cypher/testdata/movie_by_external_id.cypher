MATCH (this:Movie {imdbId: $p0}) WITH this ORDER BY this.movieId LIMIT 1 RETURN {`title`: this.title, `movieLensId`: this.movieLensId, `imdbId`: 'tt' + this.imdbId, `tmdbId`: toInteger(this.tmdbId), `tags`: 
  COLLECT { MATCH (this)-[r1:TAGGED]->(n2) WITH n2, r1 ORDER BY r1.count DESC, n2.name LIMIT $p1 RETURN {`name`: n2.name, `count`: r1.count} }} AS this

// params
{
  "p0": "1334260",
  "p1": 3
}
