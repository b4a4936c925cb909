package main

import (
	"slices"
	"testing"
)

// The extracts are lead paragraphs (or their first sentences) of the
// Wikipedia American-films data set, as the build reads them.
func TestParseDirectors(t *testing.T) {
	tests := []struct {
		name    string
		extract string
		cast    []string
		want    []string
	}{
		{
			name:    "reference film: stops at from",
			extract: "Never Let Me Go is a 2010 British dystopian romantic tragedy film based on Kazuo Ishiguro's 2005 novel of the same name. The film was directed by Mark Romanek from a screenplay by Alex Garland.",
			want:    []string{"Mark Romanek"},
		},
		{
			name:    "stops at comma before another credit",
			extract: "Toy Story is a 1995 American computer-animated comedy film directed by John Lasseter, produced by Pixar Animation Studios and released by Walt Disney Pictures.",
			want:    []string{"John Lasseter"},
		},
		{
			name:    "stops at and written",
			extract: "Traffic is a 2000 American crime drama film directed by Steven Soderbergh and written by Stephen Gaghan.",
			want:    []string{"Steven Soderbergh"},
		},
		{
			name:    "two directors, and produced stops",
			extract: "The film was directed by Chris Buck and Jennifer Lee and produced by Peter Del Vecho, from a screenplay written by Lee, and a story by Buck, Lee, and Shane Morris.",
			want:    []string{"Chris Buck", "Jennifer Lee"},
		},
		{
			name:    "A, B and C",
			extract: "The production was supervised by Clyde Geronimi, and the film's sequences were directed by Wolfgang Reitherman, Eric Larson, and Les Clark. Featuring the voices of Mary Costa.",
			want:    []string{"Wolfgang Reitherman", "Eric Larson", "Les Clark"},
		},
		{
			name:    "A, B, C and D after co-directed",
			extract: "Four Rooms is a 1995 American anthology  farce black comedy film co-written and co-directed by Allison Anders, Alexandre Rockwell, Robert Rodriguez, and Quentin Tarantino, loosely based on the adult short fiction writings of Roald Dahl.",
			want:    []string{"Allison Anders", "Alexandre Rockwell", "Robert Rodriguez", "Quentin Tarantino"},
		},
		{
			name:    "surnames spelt out from the paragraph",
			extract: "Twilight Zone: The Movie is a 1983 American science fiction horror anthology film produced by Steven Spielberg and John Landis. Based on Rod Serling's 1959–1964 television series of the same name, the film features four stories directed by Landis, Spielberg, Joe Dante, and George Miller.",
			want:    []string{"John Landis", "Steven Spielberg", "Joe Dante", "George Miller"},
		},
		{
			name:    "surname spelt out from the cast",
			extract: "Waiting for Guffman is a 1996 American mockumentary comedy film and cult classic written by Christopher Guest and Eugene Levy, and directed by Guest.",
			cast:    []string{"Christopher Guest", "Eugene Levy", "Fred Willard"},
			want:    []string{"Christopher Guest"},
		},
		{
			name:    "shared surname",
			extract: "The Big Lebowski is a 1998 crime comedy film written, produced, and directed by Joel and Ethan Coen. It stars Jeff Bridges as Jeffrey \"The Dude\" Lebowski.",
			want:    []string{"Joel Coen", "Ethan Coen"},
		},
		{
			name:    "team spelt out",
			extract: "The Matrix is a 1999 science fiction action film written and directed by the Wachowskis. It is the first installment in the Matrix film series.",
			want:    []string{"Lana Wachowski", "Lilly Wachowski"},
		},
		{
			name:    "team and a third director",
			extract: "Cloud Atlas is a 2012 epic science fiction film written and directed by the Wachowskis and Tom Tykwer. Based on the 2004 novel by David Mitchell.",
			want:    []string{"Lana Wachowski", "Lilly Wachowski", "Tom Tykwer"},
		},
		{
			name:    "directed and co-written by",
			extract: "Sunset Boulevard is a 1950 American black comedy film noir directed and co-written by Billy Wilder, and produced and co-written by Charles Brackett.",
			want:    []string{"Billy Wilder"},
		},
		{
			name:    "directed, co-written, and co-edited by",
			extract: "Army of Darkness is a 1992 American dark fantasy horror comedy film directed, co-written, and co-edited by Sam Raimi. The film is the third installment in the Evil Dead film series.",
			want:    []string{"Sam Raimi"},
		},
		{
			name:    "comma then a description stops",
			extract: "Looking for Richard is a 1996 American documentary film directed by Al Pacino, in his directorial debut.",
			want:    []string{"Al Pacino"},
		},
		{
			name:    "directed by and starring: only the first name",
			extract: "Monsieur Verdoux is a 1947 American black comedy film directed by and starring Charlie Chaplin, who plays a bigamist wife killer inspired by serial killer Henri Désiré Landru.",
			want:    []string{"Charlie Chaplin"},
		},
		{
			name:    "directed by, and starring",
			extract: "City Lights is a 1931 American silent romantic comedy-drama film written, produced, directed by, and starring Charlie Chaplin. The story follows the misadventures of Chaplin's Tramp.",
			want:    []string{"Charlie Chaplin"},
		},
		{
			name:    "an uncredited second director",
			extract: "The Cameraman is a 1928 American silent romantic comedy film directed by Edward Sedgwick and an uncredited Buster Keaton. The picture stars Keaton and Marceline Day.",
			want:    []string{"Edward Sedgwick", "Buster Keaton"},
		},
		{
			name:    "description with a role noun",
			extract: "The Man Who Laughs is a 1928 American romantic drama silent film directed by the German Expressionist filmmaker Paul Leni. The film is an adaptation of Victor Hugo's 1869 novel.",
			want:    []string{"Paul Leni"},
		},
		{
			name:    "initials keep their periods",
			extract: "is a 1930 American pre-Code romantic comedy film, directed by Paul L. Stein, from a screenplay by Horace Jackson, based on a story by Robert Milton and Dorothy Cairns.",
			want:    []string{"Paul L. Stein"},
		},
		{
			name:    "nickname dropped",
			extract: "is a 1919 American two-reel silent comedy film directed by and starring Roscoe 'Fatty' Arbuckle.",
			want:    []string{"Roscoe Arbuckle"},
		},
		{
			name:    "particle inside a name",
			extract: "is a 1929 American drama film directed by and starring Erich von Stroheim. It also stars Fay Wray and ZaSu Pitts.",
			want:    []string{"Erich von Stroheim"},
		},
		{
			name:    "award in the description is not a name",
			extract: "is a 1973 American horror film directed by future Academy Award winner Curtis Hanson. The film was Hanson's directorial debut.",
			want:    []string{"Curtis Hanson"},
		},
		{
			name:    "nationality and role before the name",
			extract: "is a 1928 American silent film directed by German director F. W. Murnau and starring George O'Brien, Janet Gaynor, and Margaret Livingston.",
			want:    []string{"F. W. Murnau"},
		},
		{
			name:    "possessive description with a comma",
			extract: "is a 1988 American action film directed by Norris' brother, Aaron Norris.",
			want:    []string{"Aaron Norris"},
		},
		{
			name:    "credits run before the name",
			extract: "is a 1942 American film directed by, produced by, and starring Orson Welles. He also co-wrote the screenplay.",
			want:    []string{"Orson Welles"},
		},
		{
			name:    "starring after the directors is not a director",
			extract: "is a 1951 American film directed by Henry Hathaway and starring Tyrone Power and Orson Welles.",
			want:    []string{"Henry Hathaway"},
		},
		{
			name:    "the brothers without a team entry",
			extract: "is a 2009 film directed by the Deagol Brothers, their first feature-length film.",
			want:    nil,
		},
		{
			name:    "no phrase",
			extract: "Albino Alligator is a 1996 American crime thriller film. The directorial debut of Kevin Spacey as well as the screenwriting debut of Christian Forte.",
			want:    nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := expandSurnames(parseDirectors(tt.extract), tt.cast, tt.extract)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
