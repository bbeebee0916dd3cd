package unitfile

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrNoSystemdAnalyze is Verify's error where systemd-analyze is not
// installed.
var ErrNoSystemdAnalyze = errors.New("systemd-analyze is not installed")

// Verify checks unit files with systemd's own tools, without installing
// them or their programs: it lays out a scratch root (an empty directory)
// holding the files in /etc/systemd/system, the system's targets, and an
// empty stand-in executable for each program the units start, then runs
// `systemd-analyze verify` on the units named (an instance such as
// rfterm@tty1.service for a template) and `systemd-analyze security
// --offline` with the largest overall exposure allowed (0 to 100; the
// security command prints it divided by ten). Any complaint is an error
// carrying systemd-analyze's output.
func Verify(scratch string, files, names []string, maxExposure int) error {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		return ErrNoSystemdAnalyze
	}
	unitDir := filepath.Join(scratch, "etc/systemd/system")
	if err := os.MkdirAll(unitDir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		u, err := Read(f)
		if err != nil {
			return err
		}
		for _, key := range []string{"ExecStartPre", "ExecStart", "ExecStartPost", "ExecReload", "ExecStop"} {
			for _, cmd := range u["Service"][key] {
				words, err := Words(strings.TrimLeft(cmd, "-@:+!"))
				if err != nil || len(words) == 0 || !filepath.IsAbs(words[0]) {
					continue // systemd-analyze says what is wrong with it
				}
				if err := writeFile(filepath.Join(scratch, words[0]), "#!/bin/sh\n", 0o755); err != nil {
					return err
				}
			}
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(unitDir, filepath.Base(f)), string(raw), 0o644); err != nil {
			return err
		}
	}
	if err := copyTargets(filepath.Join(scratch, "usr/lib/systemd/system")); err != nil {
		return err
	}
	root := "--root=" + scratch
	// verify warns of an unknown key or a bad value and still exits 0: any
	// output is a complaint.
	if out, err := analyze(unitDir, append([]string{"verify", "--man=no", root}, names...)...); err != nil || out != "" {
		return fmt.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	if out, err := analyze(unitDir, append([]string{"security", "--offline=true", root, "--threshold=" + strconv.Itoa(maxExposure), "--no-pager"}, names...)...); err != nil {
		return fmt.Errorf("systemd-analyze security: exposure over %d.%d: %v\n%s", maxExposure/10, maxExposure%10, err, out)
	}
	return nil
}

// analyze runs systemd-analyze in dir.
func analyze(dir string, args ...string) (string, error) {
	cmd := exec.Command("systemd-analyze", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// copyTargets copies the system's targets, which every service depends on
// (sysinit.target, multi-user.target…), into dir.
func copyTargets(dir string) error {
	var found []string
	for _, sys := range []string{"/usr/lib/systemd/system", "/lib/systemd/system"} {
		if found, _ = filepath.Glob(filepath.Join(sys, "*.target")); len(found) > 0 {
			break
		}
	}
	if len(found) == 0 {
		return errors.New("no systemd targets in /usr/lib/systemd/system or /lib/systemd/system")
	}
	for _, t := range found {
		raw, err := os.ReadFile(t)
		if err != nil {
			continue // a dangling link
		}
		if err := writeFile(filepath.Join(dir, filepath.Base(t)), string(raw), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path, content string, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(content), mode)
}

// ErrNoSysusers is Users' error where systemd-sysusers is not installed.
var ErrNoSysusers = errors.New("systemd-sysusers is not installed")

// Users applies a sysusers.d file to a scratch root (an empty directory)
// with systemd-sysusers, and returns the /etc/passwd and /etc/group it
// made there.
func Users(scratch, file string) (passwd, group string, err error) {
	if _, err := exec.LookPath("systemd-sysusers"); err != nil {
		return "", "", ErrNoSysusers
	}
	if err := os.MkdirAll(filepath.Join(scratch, "etc"), 0o755); err != nil {
		return "", "", err
	}
	abs, err := filepath.Abs(file) // a relative one is not found with --root
	if err != nil {
		return "", "", err
	}
	out, err := exec.Command("systemd-sysusers", "--root="+scratch, abs).CombinedOutput()
	if err != nil {
		return "", "", fmt.Errorf("systemd-sysusers %s: %w\n%s", file, err, out)
	}
	p, err := os.ReadFile(filepath.Join(scratch, "etc/passwd"))
	if err != nil {
		return "", "", err
	}
	g, err := os.ReadFile(filepath.Join(scratch, "etc/group"))
	return string(p), string(g), err
}
