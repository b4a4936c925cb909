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
		// A possessive is a description ("Carrey's close friend").
		if notInNames[w] || strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s") || strings.HasSuffix(w, "s'") {
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

// maxRoleDescriptionWords caps a description ended by a role noun.
const maxRoleDescriptionWords = 6

// roleNouns end a description before a director's name ("American
// director Benjamin Stoloff", "Carrey's close friend Steve Oedekerk").
var roleNouns = map[string]bool{
	"director": true, "filmmaker": true, "film-maker": true, "maker": true, "actor": true, "actress": true,
	"writer": true, "producer": true, "cinematographer": true, "auteur": true, "uncredited": true,
	"specialist": true, "novelist": true, "artist": true, "comedian": true, "editor": true,
	"screenwriter": true, "photographer": true, "playwright": true, "journalist": true,
	"photojournalist": true, "singer-songwriter": true, "singer": true, "entertainer": true,
	"animator": true, "choreographer": true, "musician": true, "rapper": true, "documentarian": true,
	"cartoonist": true, "author": true, "creator": true, "dancer": true, "newcomer": true,
	"veteran": true, "native": true, "member": true, "friend": true, "brother": true, "sister": true,
	"husband": true, "wife": true, "son": true, "daughter": true, "partner": true,
	"winner": true, "nominee": true, "activist": true, "designer": true, "critic": true,
	"humorist": true, "puppeteer": true, "pioneer": true, "mystic": true,
	// Not roles, but they lead a name the same way.
	"both": true,
}

// isRoleNoun reports whether w, or a part of a hyphenated or slashed w, is
// a role noun, singular or plural ("then-husband", "Award-winner",
// "actor/screenwriter", "directors").
func isRoleNoun(w string) bool {
	for _, part := range strings.FieldsFunc(w, func(r rune) bool { return r == '-' || r == '/' }) {
		if roleNouns[part] || roleNouns[strings.TrimSuffix(part, "s")] {
			return true
		}
	}
	return false
}

// creditVerb matches the verb of another credit: "produced", "co-written".
var creditVerb = regexp.MustCompile(`^(?:co-)?[a-z]+(?:ed|en)$`)

// descriptionBreaks cannot be inside a description before a name, so the
// search for a role noun stops there ("John Smith with cinematographer X"
// was directed by John Smith).
var descriptionBreaks = map[string]bool{
	"and": true, "with": true, "from": true, "for": true, "in": true, "on": true, "at": true, "by": true,
	"who": true, "which": true, "as": true, "to": true, "after": true, "starring": true, "written": true,
	"produced": true, "about": true,
}

// skipCredits moves *i past a run of further credits right after "by" and
// reports whether it held "starring": "directed by and starring X",
// "directed by, and starring, X", "directed by, produced by, and starring X".
// *i stays put unless a name follows the run.
func skipCredits(toks []string, i *int) (starring bool) {
	// A run of further credits: "directed by and starring", "directed by,
	// and starring,", "directed by, produced by, and starring".
	for j := *i; j < len(toks); {
		switch w := toks[j]; {
		case w == tokComma || w == "and":
			j++
		case strings.HasPrefix(w, "star") || strings.HasPrefix(w, "co-star") || strings.HasPrefix(w, "featur"):
			starring = true
			j++
		case creditVerb.MatchString(w) && j+1 < len(toks) && toks[j+1] == "by":
			j += 2
		default:
			if j > *i && isNameWord(w) {
				*i = j
				return starring
			}
			j = len(toks)
		}
	}
	return false
}

// skipDescription moves *i past a description before a name, one that a
// role noun ends ("the Austrian director Fritz Lang", "Murray's
// then-husband Robert Z. Leonard", "veteran Allan Dwan", "an uncredited
// Tod Browning", "California native Michael Campus"), but only when a name
// follows. A comma or a word of descriptionBreaks ends the search, so a
// name before them is never skipped ("Clark Johnson about a veteran United
// States Secret Service agent" was directed by Clark Johnson).
func skipDescription(toks []string, i *int) {
	for n := 0; n < maxRoleDescriptionWords && *i+n+1 < len(toks); n++ {
		w := toks[*i+n]
		// "author and director X", "visual artist, filmmaker and mystic X"
		afterRole := n > 0 && isRoleNoun(toks[*i+n-1])
		if w == tokStop || (w == tokComma || descriptionBreaks[w]) && !afterRole {
			return
		}
		if !isRoleNoun(w) {
			continue
		}
		next := *i + n + 1
		if toks[next] == tokComma && next+1 < len(toks) { // "Norris' brother, Aaron Norris"
			next++
		}
		if isNameWord(toks[next]) {
			*i = next
			return
		}
	}
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

	starring := skipCredits(toks, &i)
	skipDescription(toks, &i)
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
