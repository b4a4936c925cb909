package main

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// mlTitle is a MovieLens title split into its parts:
// "Postman, The (Postino, Il) (1994)" -> Primary "The Postman",
// Alternates ["Il Postino"], Full "The Postman (Il Postino)", Year 1994.
type mlTitle struct {
	Primary    string
	Alternates []string
	// Full is the title without the year but with its parentheses kept, for
	// titles whose parentheses are part of the name
	// ("Birdman: Or (The Unexpected Virtue of Ignorance)").
	Full string
	Year *int
}

// mlYear matches the trailing "(1999)"; a range "(2006–2007)" (series) keeps
// its first year.
var mlYear = regexp.MustCompile(`\s*\((\d{4})(?:\s*[–-]\s*\d{4})?\)\s*$`)

// akaPrefix starts alternates such as "(a.k.a. 12 Monkeys)".
var akaPrefix = regexp.MustCompile(`(?i)^a\.?k\.?a\.?\s+`)

// parseMovieLensTitle splits a raw MovieLens title; see mlTitle.
func parseMovieLensTitle(raw string) mlTitle {
	s := strings.TrimSpace(raw)
	var t mlTitle
	if m := mlYear.FindStringSubmatchIndex(s); m != nil {
		y, _ := strconv.Atoi(s[m[2]:m[3]])
		t.Year = &y
		s = strings.TrimSpace(s[:m[0]])
	}
	// Peel trailing " (...)" groups off as alternate titles, outermost last,
	// but never the whole title ("(500) Days of Summer" keeps its group).
	primary := s
	var alts []string
	for strings.HasSuffix(primary, ")") {
		open := matchingOpen(primary)
		if open <= 0 || primary[open-1] != ' ' {
			break
		}
		inner := strings.TrimSpace(primary[open+1 : len(primary)-1])
		primary = strings.TrimSpace(primary[:open])
		if inner != "" {
			alts = append(alts, moveArticle(akaPrefix.ReplaceAllString(inner, "")))
		}
	}
	// Alternates were peeled from the end; report them in reading order.
	for i, j := 0, len(alts)-1; i < j; i, j = i+1, j-1 {
		alts[i], alts[j] = alts[j], alts[i]
	}
	t.Primary = moveArticle(primary)
	t.Alternates = alts
	t.Full = t.Primary
	for _, a := range alts {
		t.Full += " (" + a + ")"
	}
	return t
}

// matchingOpen returns the index of the '(' matching the final ')' of s, or
// -1 when the parentheses do not balance.
func matchingOpen(s string) int {
	depth := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// trailingArticle matches the article MovieLens moves to the end of a title
// ("Matrix, The", "Atalante, L'", "Misérables, Les"). The list is the
// articles that actually occur that way in the data; ", Jr." or ", Inc." are
// not articles and stay.
var trailingArticle = regexp.MustCompile(`^(.+), (The|A|An|L'|Le|La|Les|El|Los|Las|Il|I|Lo|Gli|Das|Der|Die|Den|Det|Da|Un|Une|Una)$`)

// moveArticle turns "Matrix, The" into "The Matrix" and "Avventura, L'" into
// "L'Avventura".
func moveArticle(s string) string {
	m := trailingArticle.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	if strings.HasSuffix(m[2], "'") {
		return m[2] + m[1]
	}
	return m[2] + " " + m[1]
}

// leadingArticles are dropped from the front of a normalised title, so "The
// Matrix" and "Matrix" compare equal.
var leadingArticles = map[string]bool{"the": true, "a": true, "an": true}

// wordAliases spell a word one way on both sides of the join: sequels are
// numbered "II" or "2", volumes "Vol." or "Volume". Single letters (V, X)
// stay, they are often names.
var wordAliases = map[string]string{
	"ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9",
	"vol": "volume",
}

// normalizeTitle maps a title to its join key: accents removed, lower case,
// "&" read as "and", apostrophes dropped (so "Schindler's" meets
// "Schindlers"), every other punctuation run a single space, Roman sequel
// numbers as digits, and a leading English article dropped.
func normalizeTitle(s string) string {
	words := titleWords(s)
	if len(words) > 1 && leadingArticles[words[0]] {
		words = words[1:]
	}
	return strings.Join(words, " ")
}

// strictTitle is normalizeTitle keeping the leading article, for the weaker
// ±1 year match where "The Killer" (1989) must not meet "Killer!" (1990).
func strictTitle(s string) string { return strings.Join(titleWords(s), " ") }

func titleWords(s string) []string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// combining accent left over from NFKD: drop it
		case r == '&':
			b.WriteString(" and ")
		case r == '\'' || r == '’' || r == '‘' || r == '`':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	for i, w := range words {
		if a, ok := wordAliases[w]; ok {
			words[i] = a
		}
	}
	return words
}

// subtitleSplit finds the ": " or " - " between a series name and a subtitle.
var subtitleSplit = regexp.MustCompile(`:\s+|\s+-\s+`)

// possessivePrefix matches a credit before the title proper:
// "National Lampoon's Animal House", "William Shakespeare's Romeo + Juliet".
var possessivePrefix = regexp.MustCompile(`^((?:\p{Lu}\S* ){0,2}\p{Lu}\S*)['’]s (\S+ .+)$`)

// containsPhrase reports whether the words of phrase occur together in text
// (both as strictTitle gives them).
func containsPhrase(text, phrase string) bool {
	return strings.Contains(" "+text+" ", " "+phrase+" ")
}

// weakKey is a weaker join key of a title with the rest of the title that
// a match on it must confirm.
type weakKey struct {
	Key string // normalizeTitle of the part
	// Rest is strictTitle of the part left out, which the matched entry's
	// title or lead paragraph must name; "" when the part is the series name
	// at the front, which matches on its own ("Star Wars: Episode IV - A New
	// Hope" is Wikipedia's "Star Wars", 1977).
	Rest string
}

// weakKeys returns the weaker join keys of a title: the part before the
// first subtitle separator, the part after the last one, and the title
// without a possessive credit ("Star Wars: Episode V - The Empire Strikes
// Back" -> "star wars", "empire strikes back" confirmed by "star wars").
// They are only used for an exact, unique year match.
func weakKeys(title string) []weakKey {
	var keys []weakKey
	add := func(part, rest string) {
		if k := normalizeTitle(part); k != "" {
			keys = append(keys, weakKey{k, strictTitle(rest)})
		}
	}
	if locs := subtitleSplit.FindAllStringIndex(title, -1); locs != nil {
		first, last := locs[0], locs[len(locs)-1]
		add(title[:first[0]], "")
		add(title[last[1]:], title[:first[0]])
	}
	if m := possessivePrefix.FindStringSubmatch(title); m != nil {
		add(m[2], m[1])
	}
	return keys
}

// wikiQualifier matches the disambiguation Wikipedia lists sometimes leave on
// a title: "(film)", "(1920 film)", "(3D re-release)", "(1933 serial)".
var wikiQualifier = regexp.MustCompile(`\s*\((?:\d{4} )?(?:film|serial|re-release|3D re-release|TV special)\)$`)

// wikiStyleJunk is inline CSS the scraper copied into a few titles (e.g. the
// fraction in "Naked Gun 33+1⁄3").
var wikiStyleJunk = regexp.MustCompile(`\s*\.mw-parser-output.*\}`)

// cleanWikiTitle returns the display title of a Wikipedia list entry.
func cleanWikiTitle(s string) string {
	s = wikiStyleJunk.ReplaceAllString(s, " ")
	s = wikiQualifier.ReplaceAllString(s, "")
	// A few entries use the MovieLens order ("Goonies, The").
	return moveArticle(strings.Join(strings.Fields(s), " "))
}
