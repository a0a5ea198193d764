package codec

import (
	"reflect"
	"unsafe"
)

// readable returns v itself when it is addressable, or an addressable copy,
// so that unexported struct fields can be read through unsafe.
func readable(v reflect.Value) reflect.Value {
	if v.CanAddr() {
		return v
	}
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	return c
}

// field returns field i of the addressable struct v, made readable and
// settable even when the field is unexported. The codec copies whole values,
// so reaching past export rules changes no visible behaviour: the decoded
// value equals the encoded one.
func field(v reflect.Value, i int) reflect.Value {
	f := v.Field(i)
	if f.CanSet() {
		return f
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}
