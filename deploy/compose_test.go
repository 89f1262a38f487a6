package deploy

// The compose file checker: the mistakes docker compose would stop on, or
// worse, accept (a misspelt key is an error in compose, a misspelt build
// argument or a dependency on a service without a health check is not).

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

var (
	composeTopKeys = []string{"name", "services", "volumes", "networks", "secrets", "configs", "include", "models", "version"}
	// The Compose Specification's service keys.
	composeServiceKeys = []string{
		"annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup", "cgroup_parent",
		"command", "configs", "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota",
		"cpu_rt_period", "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset", "credential_spec", "depends_on",
		"deploy", "develop", "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "domainname",
		"entrypoint", "env_file", "environment", "expose", "extends", "external_links", "extra_hosts", "gpus",
		"group_add", "healthcheck", "hostname", "image", "init", "ipc", "isolation", "label_file", "labels",
		"links", "logging", "mac_address", "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit",
		"models", "network_mode", "networks", "oom_kill_disable", "oom_score_adj", "pid", "pids_limit",
		"platform", "ports", "post_start", "pre_stop", "privileged", "profiles", "provider", "pull_policy",
		"read_only", "restart", "runtime", "scale", "secrets", "security_opt", "shm_size", "stdin_open",
		"stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs", "tty", "ulimits",
		"use_api_socket", "user", "userns_mode", "uts", "volumes", "volumes_from", "working_dir",
	}
	composeHealthcheckKeys = []string{"test", "interval", "timeout", "start_period", "start_interval", "retries", "disable"}
	composeConditions      = []string{"service_started", "service_healthy", "service_completed_successfully"}
	secretNameRe           = regexp.MustCompile(`(?i)PASSWORD|SECRET|TOKEN`)
	uriPasswordRe          = regexp.MustCompile(`://[^/@:\s]*:([^/@\s]*)@`)
	restartRe              = regexp.MustCompile(`^(no|always|unless-stopped|on-failure(:[0-9]+)?)$`)
)

// composeFile is what the checks need of a compose file.
type composeFile struct {
	path     string
	dir      string                    // relative paths are resolved from here
	doc      map[string]any            // the whole file
	services map[string]map[string]any // services by name
	volumes  map[string]any            // top-level volumes
}

// checkCompose parses and checks a compose file; data is its content.
func checkCompose(path string, data []byte) []error {
	var errs []error
	fail := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, a...)))
	}
	c := composeFile{path: path, dir: filepath.Dir(path)}
	if err := yaml.Unmarshal(data, &c.doc); err != nil {
		return []error{fmt.Errorf("%s: not YAML: %w", path, err)}
	}
	if c.doc == nil {
		return []error{fmt.Errorf("%s: empty", path)}
	}
	walkStrings(c.doc, "", func(at, s string) {
		if _, err := interpolations(s); err != nil {
			fail("%s: %v", at, err)
		}
	})
	for _, k := range sortedKeys(c.doc) {
		if !slices.Contains(composeTopKeys, k) && !strings.HasPrefix(k, "x-") {
			fail("unknown top-level key %q", k)
		}
	}
	services, ok := c.doc["services"].(map[string]any)
	if !ok || len(services) == 0 {
		fail("no services")
		return errs
	}
	c.services = map[string]map[string]any{}
	for name, v := range services {
		svc, ok := v.(map[string]any)
		if !ok {
			fail("service %s is not a mapping", name)
			continue
		}
		c.services[name] = svc
	}
	if v, ok := c.doc["volumes"]; ok && v != nil {
		if c.volumes, ok = v.(map[string]any); !ok {
			fail("volumes is not a mapping")
		}
	}

	usedVolumes := map[string]bool{}
	oneShots := map[string]bool{} // services others wait to complete
	for _, name := range sortedKeys(c.services) {
		svc := c.services[name]
		at := "services." + name
		for _, k := range sortedKeys(svc) {
			if !slices.Contains(composeServiceKeys, k) && !strings.HasPrefix(k, "x-") {
				fail("%s: unknown key %q", at, k)
			}
		}
		_, hasImage := svc["image"]
		_, hasBuild := svc["build"]
		if !hasImage && !hasBuild {
			fail("%s: neither image nor build", at)
		}
		if hasBuild {
			errs = append(errs, c.checkBuild(name)...)
		}
		if hc, ok := svc["healthcheck"]; ok {
			errs = append(errs, checkComposeHealthcheck(path, at, hc)...)
		}
		deps := dependsOn(svc)
		for _, dep := range sortedKeys(deps) {
			cond := deps[dep]
			switch {
			case c.services[dep] == nil:
				fail("%s.depends_on: no service %q", at, dep)
			case dep == name:
				fail("%s.depends_on: depends on itself", at)
			case !slices.Contains(composeConditions, cond):
				fail("%s.depends_on.%s: condition %q is not one of %s", at, dep, cond, strings.Join(composeConditions, ", "))
			case cond == "service_healthy" && !c.hasHealthcheck(dep):
				fail("%s.depends_on.%s: service_healthy, but %s has no health check: %s would never start", at, dep, dep, name)
			case cond == "service_completed_successfully":
				oneShots[dep] = true
			}
		}
		errs = append(errs, c.checkVolumes(name, usedVolumes)...)
		errs = append(errs, c.checkEnvironment(name)...)
	}
	for _, name := range sortedKeys(c.services) {
		restart, _ := c.services[name]["restart"].(string)
		switch {
		case restart != "" && !restartRe.MatchString(restart):
			fail("services.%s.restart: %q is not no, always, unless-stopped or on-failure[:N]", name, restart)
		case oneShots[name] && (restart == "always" || restart == "unless-stopped"):
			fail("services.%s: others wait for it to complete, but restart: %s starts it again and again", name, restart)
		case !oneShots[name] && restart == "":
			fail("services.%s: no restart policy: it stays down after a crash or a reboot", name)
		}
	}
	for _, v := range sortedKeys(c.volumes) {
		if !usedVolumes[v] {
			fail("volume %q is declared but no service uses it", v)
		}
	}
	if cycle := dependencyCycle(c.services); cycle != "" {
		fail("depends_on cycle: %s", cycle)
	}
	return errs
}

// dependsOn is a service's dependencies and their conditions; the list
// form means service_started.
func dependsOn(svc map[string]any) map[string]string {
	deps := map[string]string{}
	switch d := svc["depends_on"].(type) {
	case []any:
		for _, v := range d {
			deps[fmt.Sprint(v)] = "service_started"
		}
	case map[string]any:
		for name, v := range d {
			cond := "service_started"
			if m, ok := v.(map[string]any); ok && m["condition"] != nil {
				cond = fmt.Sprint(m["condition"])
			}
			deps[name] = cond
		}
	}
	return deps
}

// dependencyCycle names services that wait for each other, if any do.
func dependencyCycle(services map[string]map[string]any) string {
	const (
		unseen = iota
		visiting
		done
	)
	state := map[string]int{}
	var stack []string
	var visit func(string) string
	visit = func(name string) string {
		switch state[name] {
		case visiting:
			return strings.Join(append(stack, name), " → ")
		case done:
			return ""
		}
		state[name] = visiting
		stack = append(stack, name)
		for _, dep := range sortedKeys(dependsOn(services[name])) {
			if services[dep] == nil || dep == name {
				continue // reported already
			}
			if cycle := visit(dep); cycle != "" {
				return cycle
			}
		}
		stack = stack[:len(stack)-1]
		state[name] = done
		return ""
	}
	for _, name := range sortedKeys(services) {
		if cycle := visit(name); cycle != "" {
			return cycle
		}
	}
	return ""
}

// hasHealthcheck tells whether a service reports its health: a
// healthcheck key, or a HEALTHCHECK in the Dockerfile it is built from.
func (c composeFile) hasHealthcheck(name string) bool {
	svc := c.services[name]
	if hc, ok := svc["healthcheck"].(map[string]any); ok {
		disabled, _ := hc["disable"].(bool)
		return !disabled
	}
	if _, ok := svc["build"]; !ok {
		return false
	}
	context, dockerfilePath := c.buildPaths(svc)
	d, _ := readDockerfile(filepath.Join(context, dockerfilePath))
	if d == nil || len(d.stages) == 0 {
		return false
	}
	for _, in := range d.final().instrs {
		if in.cmd == "HEALTHCHECK" {
			return !strings.EqualFold(in.args, "NONE")
		}
	}
	return false
}

// buildPaths are a service's build context (resolved) and Dockerfile
// (relative to the context).
func (c composeFile) buildPaths(svc map[string]any) (context, dockerfile string) {
	context, dockerfile = ".", "Dockerfile"
	switch b := svc["build"].(type) {
	case string:
		context = b
	case map[string]any:
		if s, ok := b["context"].(string); ok {
			context = s
		}
		if s, ok := b["dockerfile"].(string); ok {
			dockerfile = s
		}
	}
	return filepath.Join(c.dir, context), dockerfile
}

// checkBuild checks that a service's build context and Dockerfile exist,
// that the Dockerfile is valid, and that every build argument is one of
// its ARGs (docker build ignores the others, quietly).
func (c composeFile) checkBuild(name string) []error {
	svc := c.services[name]
	at := fmt.Sprintf("%s: services.%s.build", c.path, name)
	context, dockerfilePath := c.buildPaths(svc)
	if info, err := os.Stat(context); err != nil || !info.IsDir() {
		return []error{fmt.Errorf("%s: context %s is not a directory", at, context)}
	}
	d, errs := readDockerfile(filepath.Join(context, dockerfilePath))
	if d == nil || len(errs) > 0 {
		return append([]error{fmt.Errorf("%s: the Dockerfile %s is not valid", at, dockerfilePath)}, errs...)
	}
	b, _ := svc["build"].(map[string]any)
	args := map[string]bool{}
	switch a := b["args"].(type) {
	case map[string]any:
		for k := range a {
			args[k] = true
		}
	case []any:
		for _, v := range a {
			k, _, _ := strings.Cut(fmt.Sprint(v), "=")
			args[k] = true
		}
	}
	declared := map[string]bool{}
	for _, in := range d.globalArgs {
		pairs, _ := argPairs(in, nil, d.escape)
		for _, p := range pairs {
			declared[p.name] = true
		}
	}
	for _, s := range d.stages {
		for _, in := range s.instrs {
			if in.cmd == "ARG" {
				pairs, _ := argPairs(in, nil, d.escape)
				for _, p := range pairs {
					declared[p.name] = true
				}
			}
		}
	}
	var out []error
	for _, k := range sortedKeys(args) {
		if !declared[k] {
			out = append(out, fmt.Errorf("%s.args.%s: the Dockerfile declares no ARG %s", at, k, k))
		}
	}
	return out
}

// checkComposeHealthcheck checks a healthcheck's keys, test and durations.
func checkComposeHealthcheck(path, at string, v any) []error {
	var errs []error
	fail := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: %s.healthcheck: %s", path, at, fmt.Sprintf(format, a...)))
	}
	hc, ok := v.(map[string]any)
	if !ok {
		fail("not a mapping")
		return errs
	}
	for _, k := range sortedKeys(hc) {
		if !slices.Contains(composeHealthcheckKeys, k) {
			fail("unknown key %q", k)
		}
	}
	if disabled, _ := hc["disable"].(bool); disabled {
		return errs
	}
	switch test := hc["test"].(type) {
	case string:
		if strings.TrimSpace(test) == "" {
			fail("empty test")
		}
	case []any:
		first := ""
		if len(test) > 0 {
			first = fmt.Sprint(test[0])
		}
		switch {
		case first == "NONE":
		case first != "CMD" && first != "CMD-SHELL":
			fail("test starts with %q, not CMD, CMD-SHELL or NONE", first)
		case len(test) < 2:
			fail("test %s has no command", first)
		}
	default:
		fail("no test")
	}
	for _, k := range []string{"interval", "timeout", "start_period", "start_interval"} {
		if s, ok := hc[k]; ok {
			if d, err := time.ParseDuration(fmt.Sprint(s)); err != nil || d <= 0 {
				fail("%s %v is not a duration like 10s", k, s)
			}
		}
	}
	if r, ok := hc["retries"]; ok {
		if n, isInt := r.(int); !isInt || n < 1 {
			fail("retries %v is not a positive number", r)
		}
	}
	return errs
}

// checkVolumes checks a service's mounts: a named volume must be declared,
// a bind mount's source must exist. It marks the named ones used.
func (c composeFile) checkVolumes(name string, used map[string]bool) []error {
	var errs []error
	list, _ := c.services[name]["volumes"].([]any)
	for _, v := range list {
		var source string
		switch m := v.(type) {
		case string:
			parts := strings.Split(m, ":")
			if len(parts) < 2 {
				continue // an anonymous volume
			}
			source = parts[0]
		case map[string]any:
			source, _ = m["source"].(string)
			if t, _ := m["type"].(string); t != "" && t != "volume" && t != "bind" {
				continue
			}
		}
		switch {
		case source == "", strings.HasPrefix(source, "$"), strings.HasPrefix(source, "~"), strings.HasPrefix(source, "/"):
			// the operator's own path: nothing to check here
		case strings.HasPrefix(source, "."):
			if _, err := os.Stat(filepath.Join(c.dir, source)); err != nil {
				errs = append(errs, fmt.Errorf("%s: services.%s.volumes: %s does not exist", c.path, name, source))
			}
		default:
			used[source] = true
			if _, declared := c.volumes[source]; !declared {
				errs = append(errs, fmt.Errorf("%s: services.%s.volumes: volume %q is not declared under volumes", c.path, name, source))
			}
		}
	}
	return errs
}

// checkEnvironment checks env_file and environment: the files exist (or,
// for a file made from an example, the example does), and no secret is
// written into the compose file: it comes from a required ${VAR:?…}.
func (c composeFile) checkEnvironment(name string) []error {
	svc := c.services[name]
	at := fmt.Sprintf("%s: services.%s", c.path, name)
	var errs []error
	var files []string
	switch f := svc["env_file"].(type) {
	case string:
		files = append(files, f)
	case []any:
		for _, v := range f {
			if m, ok := v.(map[string]any); ok {
				if required, isBool := m["required"].(bool); isBool && !required {
					continue
				}
				files = append(files, fmt.Sprint(m["path"]))
			} else {
				files = append(files, fmt.Sprint(v))
			}
		}
	}
	for _, f := range files {
		p := filepath.Join(c.dir, f)
		_, err := os.Stat(p)
		_, errExample := os.Stat(p + ".example")
		if err != nil && errExample != nil {
			errs = append(errs, fmt.Errorf("%s.env_file: neither %s nor %s.example exists", at, f, f))
		}
	}
	env := map[string]string{}
	switch e := svc["environment"].(type) {
	case map[string]any:
		for k, v := range e {
			if v == nil {
				env[k] = ""
			} else {
				env[k] = fmt.Sprint(v)
			}
		}
	case []any:
		for _, v := range e {
			k, val, _ := strings.Cut(fmt.Sprint(v), "=")
			env[k] = val
		}
	}
	for _, k := range sortedKeys(env) {
		if !varNameRe.MatchString(k) {
			errs = append(errs, fmt.Errorf("%s.environment: %q is not a variable name", at, k))
		}
		if hardCodedSecret(k, env[k]) {
			errs = append(errs, fmt.Errorf("%s.environment.%s: a secret written into the file; take it from ${NAME:?…}", at, k))
		}
	}
	return errs
}

// hardCodedSecret tells whether the environment variable key=value holds
// a secret not taken from a required variable (${NAME:?…}, without a
// default, so that a forgotten one stops compose instead of running with
// a known password): a variable named like a password, secret or token,
// or the password of a URI.
func hardCodedSecret(key, value string) bool {
	refs, err := interpolations(value)
	if err != nil {
		return false // reported as a malformed interpolation
	}
	// Each reference becomes a placeholder, the outer ones first: its text
	// may hold anything, slashes and blanks too.
	masked := value
	byLength := slices.Clone(refs)
	slices.SortFunc(byLength, func(a, b interpolation) int { return len(b.text) - len(a.text) })
	placeholders := map[string]interpolation{}
	for i, r := range byLength {
		if strings.Contains(masked, r.text) {
			p := "\x00" + strconv.Itoa(i) + "\x00"
			masked = strings.ReplaceAll(masked, r.text, p)
			placeholders[p] = r
		}
	}
	secret := ""
	if m := uriPasswordRe.FindStringSubmatch(masked); m != nil {
		secret = m[1]
	} else if secretNameRe.MatchString(key) {
		secret = masked
	}
	if secret == "" {
		return false
	}
	r, ok := placeholders[secret]
	return !ok || (r.op != ":?" && r.op != "?")
}

// interpolation is one ${…} or $NAME in a compose file.
type interpolation struct {
	text string // as written
	name string
	op   string // "", ":-", "-", ":?", "?", ":+" or "+"
}

// interpolations finds the variable references in s, in compose's syntax:
// $$ is a $; ${NAME}, ${NAME:-default}, ${NAME-default},
// ${NAME:?error}, ${NAME?error}, ${NAME:+alt}, ${NAME+alt} (the word may
// hold references itself), and $NAME. Anything else after a $ is an
// error in compose, and here.
func interpolations(s string) ([]interpolation, error) {
	var refs []interpolation
	isName := func(c byte, first bool) bool {
		return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || !first && c >= '0' && c <= '9'
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '$' {
			continue
		}
		switch {
		case i+1 < len(s) && s[i+1] == '$':
			i++
		case i+1 < len(s) && isName(s[i+1], true):
			j := i + 2
			for j < len(s) && isName(s[j], false) {
				j++
			}
			refs = append(refs, interpolation{text: s[i:j], name: s[i+1 : j]})
			i = j - 1
		case i+1 < len(s) && s[i+1] == '{':
			depth, end := 0, -1
			for j := i + 2; j < len(s) && end < 0; j++ {
				switch {
				case s[j] == '{':
					depth++
				case s[j] == '}' && depth == 0:
					end = j
				case s[j] == '}':
					depth--
				}
			}
			if end < 0 {
				return nil, fmt.Errorf("%q: ${ without its }", s)
			}
			body := s[i+2 : end]
			j := 0
			for j < len(body) && isName(body[j], j == 0) {
				j++
			}
			ref := interpolation{text: s[i : end+1], name: body[:j]}
			if ref.name == "" {
				return nil, fmt.Errorf("%q: ${%s} has no variable name", s, body)
			}
			rest := body[j:]
			if rest != "" {
				for _, op := range []string{":-", ":?", ":+", "-", "?", "+"} {
					if strings.HasPrefix(rest, op) {
						ref.op = op
						break
					}
				}
				if ref.op == "" {
					return nil, fmt.Errorf("%q: ${%s}: after the name comes }, :-, -, :?, ?, :+ or +", s, body)
				}
				inner, err := interpolations(rest[len(ref.op):])
				if err != nil {
					return nil, err
				}
				refs = append(refs, inner...)
			}
			refs = append(refs, ref)
			i = end
		default:
			return nil, fmt.Errorf("%q: a $ that starts no variable; write $$ for a $", s)
		}
	}
	return refs, nil
}

// walkStrings calls f with every string in v (keys included) and where it
// is.
func walkStrings(v any, at string, f func(at, s string)) {
	switch x := v.(type) {
	case string:
		f(at, x)
	case map[string]any:
		for _, k := range sortedKeys(x) {
			f(at, k)
			walkStrings(x[k], strings.TrimPrefix(at+"."+k, "."), f)
		}
	case []any:
		for i, e := range x {
			walkStrings(e, at+"["+strconv.Itoa(i)+"]", f)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// readCompose reads and checks the compose file at path.
func readCompose(path string) []error {
	data, err := os.ReadFile(path)
	if err != nil {
		return []error{fmt.Errorf("read compose file: %w", err)}
	}
	return checkCompose(path, data)
}
