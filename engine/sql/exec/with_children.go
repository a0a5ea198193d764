package exec

import "fmt"

// WithChildren returns a copy of op whose children are replaced by f of
// each; an operator without children is returned as is. The engine's stage
// builder uses it to swap Exchanges for shuffle reads.
func WithChildren(op Operator, f func(Operator) (Operator, error)) (Operator, error) {
	cs := op.Children()
	if len(cs) == 0 {
		return op, nil
	}
	nc := make([]Operator, len(cs))
	changed := false
	for i, c := range cs {
		n, err := f(c)
		if err != nil {
			return nil, err
		}
		nc[i] = n
		changed = changed || n != c
	}
	if !changed {
		return op, nil
	}
	switch x := op.(type) {
	case *Filter:
		c := *x
		c.Child = nc[0]
		return &c, nil
	case *Project:
		c := *x
		c.Child = nc[0]
		return &c, nil
	case *HashAggregate:
		c := *x
		c.Child = nc[0]
		return &c, nil
	case *Sort:
		c := *x
		c.Child = nc[0]
		return &c, nil
	case *TopN:
		c := *x
		c.Child = nc[0]
		return &c, nil
	case *Limit:
		c := *x
		c.Child = nc[0]
		return &c, nil
	case *Union:
		return &Union{Inputs: nc}, nil
	case *HashJoin:
		return NewHashJoin(nc[0], nc[1], x.Type, x.LeftKeys, x.RightKeys, x.Cond, x.Broadcast), nil
	case *Window:
		c := *x
		c.Child = nc[0]
		return &c, nil
	case *WindowGroupLimit:
		c := *x
		c.Child = nc[0]
		return &c, nil
	case *Sample:
		c := *x
		c.Child = nc[0]
		return &c, nil
	case *CoalescePartitions:
		c := *x
		c.Child = nc[0]
		return &c, nil
	case *Exchange:
		return &Exchange{Child: nc[0], Kind: x.Kind, Keys: x.Keys, N: x.N}, nil
	case *Generate:
		c := *x
		c.Child = nc[0]
		return &c, nil
	}
	return nil, fmt.Errorf("exec: cannot rebuild %T", op)
}
