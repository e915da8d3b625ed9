package detect

// Unstructured helpers: objects read through the dynamic client are
// map[string]any; a missing or mistyped field reads as empty.

func objField(obj map[string]any, path ...string) any {
	var cur any = obj
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

func objString(obj map[string]any, path ...string) string {
	s, _ := objField(obj, path...).(string)
	return s
}

func objBool(obj map[string]any, path ...string) bool {
	b, _ := objField(obj, path...).(bool)
	return b
}

func objStrings(obj map[string]any, path ...string) []string {
	raw, _ := objField(obj, path...).([]any)
	var out []string
	for _, v := range raw {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
