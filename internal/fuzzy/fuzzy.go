// Package fuzzy finds the name a mistyped one most likely meant, for the
// "did you mean …?" hints of the shell and the SQL analyzer.
package fuzzy

import "strings"

// Distance is the Levenshtein distance between a and b, in bytes.
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Nearest returns the candidate closest to name, ignoring case, if it is at
// most maxDist edits away; the first of equally close candidates wins.
func Nearest(name string, candidates []string, maxDist int) (string, bool) {
	best, bestD := "", maxDist+1
	lower := strings.ToLower(name)
	for _, c := range candidates {
		if d := Distance(lower, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best, bestD <= maxDist
}
