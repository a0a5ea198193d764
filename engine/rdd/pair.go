package rdd

import "fmt"

// Pair is a key/value element. A func with two results makes one (Map,
// MapPairs), and the pair operators (ReduceByKey, Join, …) take RDDs of them.
type Pair struct {
	Key   any
	Value any
}

// String formats the pair as {key value}, like fmt does for structs.
func (p Pair) String() string { return fmt.Sprintf("{%v %v}", p.Key, p.Value) }
