package main

import (
	"fmt"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
	"github.com/99designs/gqlgen/codegen/templates"
	"github.com/vektah/gqlparser/v2/ast"
)

// pureDataFile is the file pureData writes, beside the generated executor.
const pureDataFile = "graph/puredata_gen.go"

// pureData writes, for each object type of package model, two methods that serve a
// selection of its pure-data fields without gqlgen's per-field machinery (see
// graph/puredata.go): pureDataPlan_T collects the fields of a selection once (fragments,
// @skip and @include applied by gqlgen's graphql.CollectFields), builds each field's
// context once (its arguments decoded by gqlgen's own fieldContext_T_f) and answers nil
// when a field is not pure data; pureDataJSON_T writes one object of the plan as JSON,
// reading each field with the model's own method and formatting each leaf with gqlgen's
// own marshaler (or, for String, ID, Int and Boolean, graph's copy of it: directLeaf), and
// answers false where gqlgen would report an error or a null.
//
// A field is pure data when the model's method or struct field answers it: not a
// resolver, no directive, no @defer. Its type is a scalar, an enum, an object of package
// model, an interface or a union whose every implementor is such an object, or a list of
// them. An interface or union gets the two methods too: its plan is a plan per implementor
// (each collected as gqlgen collects the fields of that concrete type, so fragments on the
// interface, on the concrete type and __typename resolve as they do there), and its writer
// dispatches on the concrete model type as gqlgen's marshaler _I does.
type pureData struct{}

func (pureData) Name() string { return "pureData" }

// pureDataHooks are the object types that pureData wrote methods for, whose marshalers
// rewrite makes try them.
var pureDataHooks []string

func (pureData) GenerateCode(data *codegen.Data) error {
	objects := pureDataObjects(data)
	abstracts := pureDataAbstracts(data, objects)
	for name := range abstracts {
		objects[name] = true
	}
	pureDataHooks = pureDataHooks[:0]
	for _, o := range data.Objects {
		if objects[o.Name] {
			pureDataHooks = append(pureDataHooks, o.Name)
		}
	}
	return templates.Render(templates.Options{
		PackageName:     "graph",
		Filename:        pureDataFile,
		GeneratedHeader: true,
		Packages:        data.Config.Packages,
		Template: `{{ reserveImport "bytes" }}{{ reserveImport "context" }}` +
			`{{ reserveImport "github.com/99designs/gqlgen/graphql" }}{{ reserveImport "github.com/vektah/gqlparser/v2/ast" }}` +
			`{{ pureData . }}`,
		Funcs: map[string]any{"pureData": func(*codegen.Data) string {
			var b strings.Builder
			for _, o := range data.Objects {
				if objects[o.Name] {
					writePureData(&b, o, objects)
				}
			}
			names := make([]string, 0, len(abstracts))
			for name := range abstracts {
				names = append(names, name)
			}
			slices.Sort(names)
			for _, name := range names {
				writePureDataAbstract(&b, data.Interfaces[name], abstracts[name])
			}
			return b.String()
		}},
		Data: data,
	})
}

// pureDataObjects are the object types that get the methods: those of package model
// (gqlgen's own types, introspection and federation, stay as they are).
func pureDataObjects(data *codegen.Data) map[string]bool {
	out := map[string]bool{}
	for _, o := range data.Objects {
		if o.Root || strings.HasPrefix(o.Name, "_") {
			continue
		}
		if named, ok := types.Unalias(o.Type).(*types.Named); ok && named.Obj().Pkg() != nil &&
			named.Obj().Pkg().Path() == data.Config.Model.ImportPath() {
			out[o.Name] = true
		}
	}
	return out
}

// pureDataAbstracts are the interfaces and unions whose implementors all get the methods,
// each with its implementors' object types, in the order of gqlgen's marshaler.
func pureDataAbstracts(data *codegen.Data, objects map[string]bool) map[string][]string {
	out := map[string][]string{}
	for name, i := range data.Interfaces {
		if strings.HasPrefix(name, "_") { // federation's, like its objects
			continue
		}
		var implementors []string
		for _, impl := range i.Implementors {
			if !objects[impl.Name] {
				implementors = nil
				break
			}
			if !slices.Contains(implementors, impl.Name) {
				implementors = append(implementors, impl.Name)
			}
		}
		if len(implementors) > 0 {
			out[name] = implementors
		}
	}
	return out
}

// pureField reports whether f can be written by pureDataJSON.
func pureField(f *codegen.Field, objects map[string]bool) bool {
	if f.IsResolver || f.HasDirectives() || f.Stream || f.HasHaser || f.VOkFunc || !(f.IsMethod() || f.IsVariable()) {
		return false
	}
	if codegen.GetInlineArgsMetadata(f.Object.Name, f.Name) != nil {
		return false
	}
	return pureType(f.TypeReference, objects)
}

func pureType(ref *config.TypeReference, objects map[string]bool) bool {
	if ref.IsPtrToSlice() || ref.IsPtrToPtr() || ref.IsPtrToIntf() {
		return false
	}
	if ref.IsSlice() {
		return pureType(ref.Elem(), objects)
	}
	switch ref.Definition.Kind {
	case ast.Scalar, ast.Enum:
		return true
	case ast.Object, ast.Interface, ast.Union:
		return objects[ref.Definition.Name]
	}
	return false
}

// writePureDataAbstract writes the plan and the writer of an interface or union i, whose
// implementors (object types) have theirs: the plan's cases are the implementors' plans of
// the same selection, in order.
func writePureDataAbstract(b *strings.Builder, i *codegen.Interface, implementors []string) {
	ref := templates.CurrentImports.LookupType(i.Type)
	fmt.Fprintf(b, "\n// pureDataPlan_%s is the plan of sel on each type that a %s can be, nil when one is not pure data.\n", i.Name, i.Name)
	fmt.Fprintf(b, "func (ec *executionContext) pureDataPlan_%s(ctx context.Context, sel ast.SelectionSet) *pureDataPlan {\n", i.Name)
	fmt.Fprintf(b, "\tp := &pureDataPlan{cases: make([]*pureDataPlan, %d)}\n", len(implementors))
	for k, name := range implementors {
		fmt.Fprintf(b, "\tif p.cases[%d] = ec.pureDataPlan_%s(ctx, sel); p.cases[%d] == nil {\n\t\treturn nil\n\t}\n", k, name, k)
	}
	b.WriteString("\treturn p\n}\n")

	fmt.Fprintf(b, "\n// pureDataJSON_%s writes obj with the plan of its concrete type; a nil is null where\n", i.Name)
	b.WriteString("// nullable and false (gqlgen's error) where not, as is a type gqlgen did not generate.\n")
	fmt.Fprintf(b, "func (ec *executionContext) pureDataJSON_%s(w *bytes.Buffer, p *pureDataPlan, obj %s, nullable bool) bool {\n", i.Name, ref)
	b.WriteString("\tswitch obj := obj.(type) {\n\tcase nil:\n")
	for _, impl := range i.Implementors {
		k := slices.Index(implementors, impl.Name)
		fmt.Fprintf(b, "\tcase %s:\n", templates.CurrentImports.LookupType(impl.Type))
		if impl.TakeRef {
			fmt.Fprintf(b, "\t\treturn ec.pureDataJSON_%s(w, p.cases[%d], &obj)\n", impl.Name, k)
			continue
		}
		if impl.CanBeNil() {
			b.WriteString("\t\tif obj == nil {\n\t\t\tbreak\n\t\t}\n")
		}
		fmt.Fprintf(b, "\t\treturn ec.pureDataJSON_%s(w, p.cases[%d], obj)\n", impl.Name, k)
	}
	b.WriteString("\tdefault:\n\t\treturn false\n\t}\n")
	b.WriteString("\tif nullable {\n\t\tw.WriteString(\"null\")\n\t}\n\treturn nullable\n}\n")
}

func writePureData(b *strings.Builder, o *codegen.Object, objects map[string]bool) {
	ref := templates.CurrentImports.LookupType(o.Reference())
	implementors := templates.ToGoPrivate(o.Name) + "Implementors"

	// The plan.
	fmt.Fprintf(b, "\n// pureDataPlan_%s is the plan of sel on a %s, nil when a field is not pure data.\n", o.Name, o.Name)
	fmt.Fprintf(b, "func (ec *executionContext) pureDataPlan_%s(ctx context.Context, sel ast.SelectionSet) *pureDataPlan {\n", o.Name)
	fmt.Fprintf(b, "\tp := newPureDataPlan(graphql.CollectFields(ec.OperationContext, sel, %s))\n", implementors)
	b.WriteString("\tfor i, field := range p.fields {\n\t\tif len(field.Deferrables) > 0 {\n\t\t\treturn nil\n\t\t}\n")
	b.WriteString("\t\tswitch field.Name {\n\t\tcase \"__typename\":\n")
	for _, f := range o.Fields {
		if !pureField(f, objects) {
			continue
		}
		fmt.Fprintf(b, "\t\tcase %q:\n", f.Name)
		fmt.Fprintf(b, "\t\t\tfc, err := ec.%s(ctx, field)\n\t\t\tif err != nil {\n\t\t\t\treturn nil\n\t\t\t}\n", f.FieldContextFunc())
		b.WriteString("\t\t\tfieldCtx := graphql.WithFieldContext(ctx, fc)\n")
		if child := objectOf(f.TypeReference); child != "" {
			fmt.Fprintf(b, "\t\t\tchild := ec.pureDataPlan_%s(fieldCtx, field.Selections)\n\t\t\tif child == nil {\n\t\t\t\treturn nil\n\t\t\t}\n", child)
			b.WriteString("\t\t\tp.set(i, fieldCtx, child)\n")
		} else {
			b.WriteString("\t\t\tp.set(i, fieldCtx, nil)\n")
		}
	}
	b.WriteString("\t\tdefault:\n\t\t\treturn nil\n\t\t}\n\t}\n\treturn p\n}\n")

	// The writer.
	fmt.Fprintf(b, "\n// pureDataJSON_%s writes obj as p selects it, false where gqlgen would report an error or a null.\n", o.Name)
	fmt.Fprintf(b, "func (ec *executionContext) pureDataJSON_%s(w *bytes.Buffer, p *pureDataPlan, obj %s) bool {\n", o.Name, ref)
	b.WriteString("\tw.WriteByte('{')\n\tfor i := range p.fields {\n\t\tif p.keys[i] == \"\" {\n\t\t\tcontinue\n\t\t}\n")
	b.WriteString("\t\tw.WriteString(p.keys[i])\n\t\tfield := &p.fields[i]\n\t\tswitch field.Name {\n")
	fmt.Fprintf(b, "\t\tcase \"__typename\":\n\t\t\tw.WriteString(%s)\n", strconv.Quote(strconv.Quote(o.Name)))
	for _, f := range o.Fields {
		if !pureField(f, objects) {
			continue
		}
		fmt.Fprintf(b, "\t\tcase %q:\n", f.Name)
		if len(f.Args) > 0 {
			b.WriteString("\t\t\tfc := graphql.GetFieldContext(p.ctxs[i])\n")
		}
		b.WriteString("\t\t\tctx := p.ctxs[i]\n\t\t\t_ = ctx\n")
		call := f.GoReceiverName + "." + f.GoFieldName
		switch {
		case f.IsVariable():
			fmt.Fprintf(b, "\t\t\tv := %s\n", call)
		case f.NoErr:
			fmt.Fprintf(b, "\t\t\tv := %s(%s)\n", call, f.CallArgs())
		default:
			fmt.Fprintf(b, "\t\t\tv, err := %s(%s)\n\t\t\tif err != nil {\n\t\t\t\treturn false\n\t\t\t}\n", call, f.CallArgs())
		}
		writeValue(b, f.TypeReference, "v", "p.children[i]", 3, 0)
	}
	b.WriteString("\t\t}\n\t}\n\tw.WriteByte('}')\n\treturn true\n}\n")

	// The entry point, which _T calls first (see rewrites).
	fmt.Fprintf(b, "\n// pureData_%s is obj written as sel selects it, nil when it must take gqlgen's path.\n", o.Name)
	fmt.Fprintf(b, "func (ec *executionContext) pureData_%s(ctx context.Context, sel ast.SelectionSet, obj %s) graphql.Marshaler {\n", o.Name, ref)
	fmt.Fprintf(b, "\treturn writePureData(ec, ctx, %q, sel, obj, (*executionContext).pureDataPlan_%s, (*executionContext).pureDataJSON_%s)\n}\n", o.Name, o.Name, o.Name)
}

// objectOf is the object type that ref (a list or not) holds, "" for a leaf.
func objectOf(ref *config.TypeReference) string {
	for ref.IsSlice() {
		ref = ref.Elem()
	}
	switch ref.Definition.Kind {
	case ast.Object, ast.Interface, ast.Union:
		return ref.Definition.Name
	}
	return ""
}

// writeValue writes the code that writes v, of type ref, to w; plan is the plan of its
// object type. It follows gqlgen's marshalers: a nil list or pointer is null where the
// type is nullable and an error (false) where it is not.
func writeValue(b *strings.Builder, ref *config.TypeReference, v, plan string, indent, depth int) {
	tab := strings.Repeat("\t", indent)
	if abstract(ref) {
		// Its writer tells nil (of the interface or of a concrete pointer) itself.
		fmt.Fprintf(b, "%sif !ec.pureDataJSON_%s(w, %s, %s, %t) {\n%s\treturn false\n%s}\n",
			tab, ref.Definition.Name, plan, v, !ref.GQL.NonNull, tab, tab)
		return
	}
	if ref.IsNilable() && !ref.GQL.NonNull && (ref.IsSlice() || ref.Definition.Kind == ast.Object) {
		fmt.Fprintf(b, "%sif %s == nil {\n%s\tw.WriteString(\"null\")\n%s} else {\n", tab, v, tab, tab)
		writeNonNil(b, ref, v, plan, indent+1, depth)
		fmt.Fprintf(b, "%s}\n", tab)
		return
	}
	if ref.IsNilable() && ref.GQL.NonNull && ref.Definition.Kind == ast.Object && !ref.IsSlice() {
		fmt.Fprintf(b, "%sif %s == nil {\n%s\treturn false\n%s}\n", tab, v, tab, tab)
	}
	writeNonNil(b, ref, v, plan, indent, depth)
}

// abstract reports whether ref (not a list) is an interface or a union.
func abstract(ref *config.TypeReference) bool {
	return !ref.IsSlice() && (ref.Definition.Kind == ast.Interface || ref.Definition.Kind == ast.Union)
}

// writeNonNil is writeValue once v is known not to be a nil list or object.
func writeNonNil(b *strings.Builder, ref *config.TypeReference, v, plan string, indent, depth int) {
	tab := strings.Repeat("\t", indent)
	switch {
	case ref.IsSlice():
		elem := fmt.Sprintf("e%d", depth)
		fmt.Fprintf(b, "%sw.WriteByte('[')\n%sfor j%d, %s := range %s {\n%s\tif j%d > 0 {\n%s\t\tw.WriteByte(',')\n%s\t}\n",
			tab, tab, depth, elem, v, tab, depth, tab, tab)
		writeValue(b, ref.Elem(), elem, plan, indent+1, depth+1)
		fmt.Fprintf(b, "%s}\n%sw.WriteByte(']')\n", tab, tab)
	case ref.Definition.Kind == ast.Object:
		if !ref.IsNilable() {
			v = "&" + v
		}
		fmt.Fprintf(b, "%sif !ec.pureDataJSON_%s(w, %s, %s) {\n%s\treturn false\n%s}\n", tab, ref.Definition.Name, plan, v, tab, tab)
	case directLeaf(ref) != "":
		// A String, ID, Int or Boolean: written as gqlgen's marshaler writes it, without
		// the closure and the formatted copy that marshaler allocates per value.
		write := directLeaf(ref)
		if ref.IsPtr() {
			fmt.Fprintf(b, "%sif %s == nil {\n%s\tw.WriteString(\"null\")\n%s} else {\n%s\t%s(w, *%s)\n%s}\n",
				tab, v, tab, tab, tab, write, v, tab)
		} else {
			fmt.Fprintf(b, "%s%s(w, %s)\n", tab, write, v)
		}
	case !ref.GQL.NonNull:
		// A scalar or an enum: gqlgen's marshaler, whose errors writePureData finds.
		fmt.Fprintf(b, "%sec.%s(ctx, field.Selections, %s).MarshalGQL(w)\n", tab, ref.MarshalFunc(), v)
	default:
		fmt.Fprintf(b, "%sif m := ec.%s(ctx, field.Selections, %s); m != graphql.Null {\n%s\tm.MarshalGQL(w)\n%s} else {\n%s\treturn false\n%s}\n",
			tab, ref.MarshalFunc(), v, tab, tab, tab, tab)
	}
}

// directLeaves are gqlgen's marshalers that graph writes itself (graph/puredata.go), by
// the Go type they marshal: they never fail nor answer null for a value.
var directLeaves = map[string]map[string]string{
	"MarshalString":  {"string": "pureString"},
	"MarshalID":      {"string": "pureString"},
	"MarshalInt64":   {"int64": "pureInt64"},
	"MarshalBoolean": {"bool": "pureBoolean"},
}

// directLeaf is the function of graph that writes ref, a leaf (or a pointer to one), as
// gqlgen's own marshaler does; "" when gqlgen's marshaler must write it.
func directLeaf(ref *config.TypeReference) string {
	m := ref.Marshaler
	if m == nil || m.Pkg() == nil || m.Pkg().Path() != "github.com/99designs/gqlgen/graphql" || ref.IsSlice() {
		return ""
	}
	t := ref.GO
	if ref.IsPtr() {
		if ref.GQL.NonNull {
			return "" // a nil pointer is an error there: gqlgen's marshaler reports it
		}
		t = t.(*types.Pointer).Elem()
	}
	basic, ok := t.(*types.Basic)
	if !ok {
		return ""
	}
	return directLeaves[m.Name()][basic.Name()]
}
