RETURN [entry IN $p0 | CASE entry.type WHEN 'Movie' THEN head(
  COLLECT { MATCH (n1:Movie {movieId: entry.key}) RETURN {`#type`: 'Movie', `#key`: n1.movieId, `title`: n1.title} }) WHEN 'Person' THEN head(
  COLLECT { MATCH (n2:Person {personId: entry.key}) RETURN {`#type`: 'Person', `#key`: n2.personId, `name`: n2.name} }) WHEN 'Genre' THEN head(
  COLLECT { MATCH (n3:Genre {name: entry.key}) RETURN {`#type`: 'Genre', `#key`: n3.name, `movieCount`: COUNT { (n3)<-[:IN_GENRE]-() }} }) END] AS this

// params
{
  "p0": [
    {
      "key": 80969,
      "type": "Movie"
    },
    {
      "key": 2363,
      "type": "Person"
    },
    {
      "key": "Drama",
      "type": "Genre"
    }
  ]
}
