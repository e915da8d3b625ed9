package claims

import "sort"

// RestingOn lists, in catalogue order, the claims whose verdict rests on m:
// the claims a fault that breaks m should change.
func RestingOn(m Mechanism) []string {
	var ids []string
	for id, f := range facts {
		for _, r := range f.Rests {
			if r == m {
				ids = append(ids, id)
				break
			}
		}
	}
	sort.Slice(ids, func(i, j int) bool { return Less(ids[i], ids[j]) })
	return ids
}

// AwaitingDataplanes reports whether m waits for the dataplanes issue, so
// that no fault needs to break it yet.
func AwaitingDataplanes(m Mechanism) bool { return awaitingDataplanes[m] }
