package main

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// directedBy finds the phrase that introduces the directors in a Wikipedia
// lead paragraph: "directed by", "written and directed by", "directed and
// produced by", "written, directed, and produced by", "Directed by".
// "directed, co-written, and co-edited by".
var directedBy = regexp.MustCompile(`\b[Dd]irected(?:,? (?:and )?(?:co-)?[a-z]+(?:ed|en))*,? by\b`)

// maxNameWords caps a parsed name: a longer run of capitalised words is a
// company or a title ("Universal Pictures Company ..."), not a person.
const maxNameWords = 6

// parseDirectors returns the directors named by the first "directed by"
// phrase of extract that names at least one person, in the order written,
// or nil. It reads "A", "A and B", "A, B and C" and "A, B, and C", and stops
// at the first word that is not part of a name ("from", "and starring",
// "in his debut"), at a sentence end, or at "(" or a quote. A comma that does
// not lead to a closing "and <name>" ends the list before it ("directed by
// Allan Dwan, produced by ...").
func parseDirectors(extract string) []string {
	for _, loc := range directedBy.FindAllStringIndex(extract, -1) {
		rest := strings.TrimLeft(extract[loc[1]:], " ")
		for team, members := range teams {
			if strings.HasPrefix(rest, team) {
				rest = members + rest[len(team):]
			}
		}
		if names := parseNameList(tokenize(rest)); len(names) > 0 {
			return names
		}
	}
	return nil
}

// teams are the directing teams the lead paragraphs name only together,
// spelt out so each member is a person.
var teams = map[string]string{
	"the Wachowskis":        "Lana Wachowski and Lilly Wachowski",
	"the Coen brothers":     "Joel Coen and Ethan Coen",
	"the Farrelly brothers": "Peter Farrelly and Bobby Farrelly",
	"the Hughes Brothers":   "Albert Hughes and Allen Hughes",
	"the Hughes brothers":   "Albert Hughes and Allen Hughes",
	"the Erwin Brothers":    "Andrew Erwin and Jon Erwin",
	"the Erwin brothers":    "Andrew Erwin and Jon Erwin",
	"the Pang Brothers":     "Oxide Pang and Danny Pang",
	"the Spierig Brothers":  "Michael Spierig and Peter Spierig",
	"the Russo brothers":    "Anthony Russo and Joe Russo",
}

// Token kinds beyond words: a comma, and a stop (sentence end, bracket,
// quote, colon or semicolon), after which nothing is read.
const (
	tokComma = ","
	tokStop  = "<stop>"
	tokNick  = "<nickname>" // a quoted one-word nickname: Roscoe "Fatty" Arbuckle
)

// nickname matches a quoted one-word nickname.
var nickname = regexp.MustCompile(`^["“'‘]\p{Lu}\p{L}*["”'’]$`)

// tokenize splits text into words, tokComma and tokStop. A word keeps a
// final period only when it is an initial or an abbreviation ("L.",
// "D.D.", "Jr.", "St."); any other final period is a sentence end.
func tokenize(text string) []string {
	var toks []string
	for _, chunk := range strings.Fields(text) {
		if nickname.MatchString(chunk) {
			toks = append(toks, tokNick)
			continue
		}
		if first, _ := utf8.DecodeRuneInString(chunk); strings.ContainsRune(`("“[{'‘`, first) {
			return append(toks, tokStop)
		}
		word, after := chunk, ""
		for word != "" {
			r, size := utf8.DecodeLastRuneInString(word)
			if !strings.ContainsRune(`,;:)"”]}’.!?`, r) {
				break
			}
			if r == '.' && keepsPeriod(word) {
				break
			}
			after = string(r) + after
			word = word[:len(word)-size]
		}
		if word != "" {
			toks = append(toks, word)
		}
		switch {
		case after == "":
		case after == ",":
			toks = append(toks, tokComma)
		default:
			return append(toks, tokStop)
		}
	}
	return toks
}

// initials matches "L.", "D.D." and "W. S." pieces.
var initials = regexp.MustCompile(`^(?:\p{Lu}\.)+$`)

// abbreviations keep their period inside a name.
var abbreviations = map[string]bool{"Jr.": true, "Sr.": true, "St.": true, "Dr.": true, "Mr.": true, "Mrs.": true, "Ms.": true}

func keepsPeriod(word string) bool {
	return initials.MatchString(word) || abbreviations[word]
}

// suffixes end a name ("Frank Capra Jr.", "Ossie Davis, Jr.").
var suffixes = map[string]bool{"Jr.": true, "Jr": true, "Sr.": true, "Sr": true, "II": true, "III": true, "IV": true}

// particles are lower-case name parts that only count when a capitalised
// word follows ("Erich von Stroheim", "Mario de la Torre").
var particles = map[string]bool{
	"de": true, "da": true, "del": true, "della": true, "der": true, "di": true, "du": true, "dos": true,
	"van": true, "von": true, "le": true, "la": true, "y": true, "bin": true, "ten": true, "ter": true, "el": true,
}

// elidedParticle matches "d'Arrast", "dell'Orso", "O'Connor".
var elidedParticle = regexp.MustCompile(`^\p{L}{1,4}['’]\p{Lu}`)

func isElidedParticle(w string) bool { return elidedParticle.MatchString(w) }

// notInNames are capitalised words of awards, schools and companies that a
// description before the name can hold ("future Academy Award winner
// Curtis Hanson", "twelve New York University film students").
var notInNames = map[string]bool{
	"Academy": true, "Award": true, "Awards": true, "University": true, "College": true, "School": true,
	"Pictures": true, "Studios": true, "Studio": true, "Company": true, "Productions": true,
	"Entertainment": true, "Film": true, "Films": true, "Brothers": true, "Bros.": true,
}

// plausibleName reports whether words can be a person's name: one to
// maxNameWords words, not a lone letter ("B movie director"), none of
// notInNames.
func plausibleName(words []string) bool {
	if len(words) == 0 || len(words) > maxNameWords {
		return false
	}
	if len(words) == 1 && utf8.RuneCountInString(strings.TrimSuffix(words[0], ".")) < 2 {
		return false
	}
	for _, w := range words {
		if notInNames[w] {
			return false
		}
	}
	return true
}

// isNameWord reports whether w can be a word of a person's name.
func isNameWord(w string) bool {
	if w == tokComma || w == tokStop {
		return false
	}
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) || isElidedParticle(w)
}

// maxDescriptionWords caps the words skipped before the first name.
const maxDescriptionWords = 3

// maxRoleDescriptionWords caps a description ended by a role noun.
const maxRoleDescriptionWords = 6

// roleNouns end a description before a director's name.
var roleNouns = map[string]bool{
	"director": true, "filmmaker": true, "actor": true, "actress": true, "writer": true, "producer": true,
	"cinematographer": true, "auteur": true, "uncredited": true, "specialist": true, "novelist": true,
	"artist": true, "comedian": true, "editor": true, "screenwriter": true, "photographer": true,
}

// notDescriptions are words that end a description: "the Coen brothers" or
// "an uncredited director" name no one the parser can spell out.
// Neither can a credit verb ("directed by starring X, Y, ..." lists actors).
var notDescriptions = map[string]bool{
	"the": true, "a": true, "an": true, "and": true, "brothers": true, "by": true,
	"starring": true, "starred": true, "stars": true, "featuring": true, "featured": true,
	"produced": true, "written": true, "edited": true, "with": true,
}

// skipDescription moves *i past what stands between "by" and the first
// name: "and starring" (the director also starred: it reports true, as
// only the first name that follows is the director's), or a short
// lower-case description ("veteran Allan Dwan", "first-time director X",
// "her husband X"), but only when a name follows.
func skipDescription(toks []string, i *int) (starring bool) {
	// "directed by and starring", "directed by, and starring"
	if j := *i; j < len(toks) {
		if toks[j] == tokComma {
			j++
		}
		if j+1 < len(toks) && toks[j] == "and" && strings.HasPrefix(toks[j+1], "star") {
			*i = j + 2
			return true
		}
	}
	// "the Austrian director Fritz Lang", "an uncredited Tod Browning": a
	// description may start with an article and hold capitalised
	// adjectives when a role noun or "uncredited" ends it.
	for n := 0; *i < len(toks) && !isNameWord(toks[*i]) && n < maxRoleDescriptionWords && *i+n+1 < len(toks); n++ {
		w := toks[*i+n]
		if w == tokComma || w == tokStop {
			break
		}
		if roleNouns[w] && isNameWord(toks[*i+n+1]) {
			*i += n + 1
			return false
		}
	}
	for n := 0; n < maxDescriptionWords && *i+n < len(toks); n++ {
		w := toks[*i+n]
		if isNameWord(w) {
			*i += n
			return false
		}
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsLower(r) || notDescriptions[w] || particles[w] {
			return false
		}
	}
	return false
}

// parseNameList reads a list of names from toks; see parseDirectors.
func parseNameList(toks []string) []string {
	i := 0
	peek := func() string {
		if i < len(toks) {
			return toks[i]
		}
		return ""
	}
	// readName consumes one name, or nothing if none starts at i.
	readName := func() string {
		var words []string
		j := i
		for j < len(toks) {
			w := toks[j]
			switch {
			case suffixes[w] && len(words) > 0:
				words = append(words, w)
				j++
				i = j
				return strings.Join(words, " ")
			case isNameWord(w):
				words = append(words, w)
				j++
			case w == tokNick && len(words) > 0 && j+1 < len(toks) && isNameWord(toks[j+1]):
				// dropped: the name is spelt without the nickname
				j++
			case particles[w] && len(words) > 0 && j+1 < len(toks) && (isNameWord(toks[j+1]) || particles[toks[j+1]]):
				words = append(words, w)
				j++
			default:
				goto done
			}
		}
	done:
		if !plausibleName(words) {
			return ""
		}
		i = j
		return strings.Join(words, " ")
	}

	starring := skipDescription(toks, &i)
	first := readName()
	if first == "" {
		return nil
	}
	if starring {
		// "directed by and starring A, B and C": B and C only starred.
		return []string{first}
	}
	names := []string{first}
	// checkpoint is the length of names before an unresolved comma run: a
	// comma list only stands once "and <name>" closes it.
	checkpoint := -1
	for {
		switch peek() {
		case "and", "&":
			i++
			skipDescription(toks, &i) // "A and an uncredited B"
			n := readName()
			if n == "" {
				goto end
			}
			names = append(names, n)
			checkpoint = -1
		case tokComma:
			i++
			if suffixes[peek()] {
				names[len(names)-1] += " " + peek()
				i++
				continue
			}
			if checkpoint < 0 {
				checkpoint = len(names)
			}
			if peek() == "and" {
				i++
				n := readName()
				if n == "" {
					goto end
				}
				names = append(names, n)
				checkpoint = -1
				continue
			}
			n := readName()
			if n == "" {
				goto end
			}
			names = append(names, n)
		default:
			goto end
		}
	}
end:
	if checkpoint >= 0 {
		names = names[:checkpoint]
	}
	return dedupe(names)
}

// dedupe keeps the first occurrence of every string, in order.
func dedupe(xs []string) []string {
	seen := make(map[string]bool, len(xs))
	out := xs[:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// expandSurnames replaces a one-word director name by the full name it
// stands for, when that is clear: the one cast member whose last name it is,
// else the first full name ending in it in the paragraph ("written by
// Christopher Guest and Eugene Levy, and directed by Guest").
//
// A one-word name that is neither is a first name sharing the next name's
// surname: "directed by Joel and Ethan Coen".
func expandSurnames(names, cast []string, extract string) []string {
	out := make([]string, 0, len(names))
	for k, n := range names {
		if !strings.Contains(n, " ") {
			n = fullName(n, cast, extract)
		}
		if !strings.Contains(n, " ") && k+1 < len(names) {
			if next := strings.Fields(names[k+1]); len(next) > 1 {
				n += " " + next[len(next)-1]
			}
		}
		out = append(out, n)
	}
	return dedupe(out)
}

// nameWords matches one to three capitalised words before a surname.
const nameWords = `((?:\p{Lu}[\p{L}'’-]*\.? ){1,3})`

// notFirstNames start sentences or titles, not names.
var notFirstNames = map[string]bool{"The": true, "A": true, "An": true, "It": true, "In": true, "By": true, "And": true}

func fullName(surname string, cast []string, extract string) string {
	var found []string
	for _, c := range cast {
		if strings.HasSuffix(c, " "+surname) {
			found = append(found, c)
		}
	}
	if len(found) == 1 {
		return found[0]
	}
	re := regexp.MustCompile(nameWords + regexp.QuoteMeta(surname) + `\b`)
	for _, m := range re.FindAllStringSubmatch(extract, -1) {
		first := strings.Fields(m[1])
		for len(first) > 0 && notFirstNames[first[0]] {
			first = first[1:]
		}
		if len(first) > 0 {
			return strings.Join(first, " ") + " " + surname
		}
	}
	return surname
}
