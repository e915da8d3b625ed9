package claims

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// wiredClaims reads the area packages under dir (tests/) and returns, for
// each claim ID, the file of the claim function that checks it. A claim
// function is one that calls verdict.Claim("ID", ...); it counts only
// when the area's Run passes its result to the test list, so a claim
// file that nobody calls is an error, as is an ID checked twice.
func wiredClaims(dir string) (map[string]string, error) {
	areas, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	var problems []string
	for _, a := range areas {
		if !a.IsDir() || a.Name() == "internal" {
			continue
		}
		fset := token.NewFileSet()
		pkgs, err := parser.ParseDir(fset, filepath.Join(dir, a.Name()), nil, 0)
		if err != nil {
			return nil, err
		}
		for _, pkg := range pkgs {
			claimFuncs := map[string]string{} // function -> ID
			files := map[string]string{}      // function -> file
			called := map[string]bool{}       // functions called in Run
			for path, f := range pkg.Files {
				for _, d := range f.Decls {
					fn, ok := d.(*ast.FuncDecl)
					if !ok || fn.Body == nil {
						continue
					}
					if fn.Name.Name == "Run" {
						ast.Inspect(fn.Body, func(n ast.Node) bool {
							if c, ok := n.(*ast.CallExpr); ok {
								if id, ok := c.Fun.(*ast.Ident); ok {
									called[id.Name] = true
								}
							}
							return true
						})
						continue
					}
					if id := claimID(fn.Body); id != "" {
						claimFuncs[fn.Name.Name], files[fn.Name.Name] = id, path
					}
				}
			}
			for fn, id := range claimFuncs {
				switch {
				case !called[fn]:
					problems = append(problems, fmt.Sprintf("%s: %s checks %s but %s's Run does not pass it to the test list", files[fn], fn, id, a.Name()))
				case out[id] != "":
					problems = append(problems, fmt.Sprintf("%s is checked twice: %s and %s", id, out[id], files[fn]))
				default:
					out[id] = files[fn]
				}
			}
		}
	}
	if len(problems) > 0 {
		return out, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return out, nil
}

// claimID is the ID of the verdict.Claim("ID", ...) call in body, if any.
func claimID(body *ast.BlockStmt) string {
	var id string
	ast.Inspect(body, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || len(c.Args) == 0 {
			return true
		}
		sel, ok := c.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Claim" {
			return true
		}
		if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "verdict" {
			return true
		}
		if lit, ok := c.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			id, _ = strconv.Unquote(lit.Value)
		}
		return true
	})
	return id
}
