// Command verify-checkpoint checks an msix-pool log's signed checkpoints with Go's own
// golang.org/x/mod/sumdb packages, none of msix-pool's code: note opens the signed checkpoints
// (C2SP signed note, Ed25519) with the log's verifier key, and tlog checks a consistency proof
// (RFC 6962 / RFC 9162 trees) or recomputes a checkpoint's root from an exported log's lines.
//
//	verify-checkpoint VKEY OLD NEW PROOF   NEW extends OLD: PROOF is GET /v1/proof/consistency's JSON
//	verify-checkpoint VKEY CHECKPOINT LOG  LOG's first N lines (msix export) have CHECKPOINT's root
//
// VKEY is the verifier key (`msix key`), or @FILE holding it. Prints "ok ..." and exits 0, or
// prints "FAILED: why" and exits 1; exit 2 for bad usage. docs/event-log.md shows how to build it
// with Debian's golang-go and golang-golang-x-mod-dev (no module proxy needed).
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

func main() {
	var err error
	switch len(os.Args) {
	case 4:
		err = checkLog(os.Args[1], os.Args[2], os.Args[3])
	case 5:
		err = checkConsistency(os.Args[1], os.Args[2], os.Args[3], os.Args[4])
	default:
		fmt.Fprintln(os.Stderr, "usage: verify-checkpoint VKEY OLD NEW PROOF | verify-checkpoint VKEY CHECKPOINT LOG")
		os.Exit(2)
	}
	if err != nil {
		fmt.Println("FAILED:", err)
		os.Exit(1)
	}
}

// open reads a signed checkpoint: note.Open checks the signature, the body is origin, size, root.
func open(vkey, file string) (checkpoint, error) {
	if strings.HasPrefix(vkey, "@") {
		text, err := os.ReadFile(vkey[1:])
		if err != nil {
			return checkpoint{}, err
		}
		vkey = string(text)
	}
	verifier, err := note.NewVerifier(strings.TrimSpace(vkey))
	if err != nil {
		return checkpoint{}, fmt.Errorf("verifier key: %v", err)
	}
	msg, err := os.ReadFile(file)
	if err != nil {
		return checkpoint{}, err
	}
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		return checkpoint{}, fmt.Errorf("%s: %v", file, err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 || lines[0] != verifier.Name() {
		return checkpoint{}, fmt.Errorf("%s: not a checkpoint of log %s", file, verifier.Name())
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return checkpoint{}, fmt.Errorf("%s: tree size %q", file, lines[1])
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		return checkpoint{}, fmt.Errorf("%s: root hash: %v", file, err)
	}
	return checkpoint{lines[0], size, root}, nil
}

func checkConsistency(vkey, oldFile, newFile, proofFile string) error {
	older, err := open(vkey, oldFile)
	if err != nil {
		return err
	}
	newer, err := open(vkey, newFile)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(proofFile)
	if err != nil {
		return err
	}
	var proof struct {
		From, To int64
		Hashes   []tlog.Hash // base64 in JSON, as tlog.Hash unmarshals it
	}
	if err := json.Unmarshal(data, &proof); err != nil {
		return fmt.Errorf("proof: %v", err)
	}
	if proof.From != older.size || proof.To != newer.size {
		return fmt.Errorf("the proof is from %d to %d, the checkpoints of %d and %d", proof.From, proof.To, older.size, newer.size)
	}
	switch {
	case older.size > newer.size:
		return errors.New("OLD covers more than NEW")
	case older.size == 0: // the empty tree is a prefix of every tree
	case older.size == newer.size && len(proof.Hashes) == 0 && older.root == newer.root:
	default:
		if err := tlog.CheckTree(proof.Hashes, newer.size, newer.root, older.size, older.root); err != nil {
			return err
		}
	}
	fmt.Printf("ok %s: %d events extend %d\n", newer.origin, newer.size, older.size)
	return nil
}

func checkLog(vkey, file, logFile string) error {
	c, err := open(vkey, file)
	if err != nil {
		return err
	}
	log, err := os.Open(logFile)
	if err != nil {
		return err
	}
	defer log.Close()
	// tlog keeps every stored hash (about two per line) and reads back those it needs.
	var stored []tlog.Hash
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			out[i] = stored[x]
		}
		return out, nil
	})
	in := bufio.NewReaderSize(log, 1<<20)
	var n int64
	for ; n < c.size; n++ {
		line, err := in.ReadBytes('\n')
		if err == io.EOF && len(line) == 0 {
			return fmt.Errorf("TRUNCATED: the log has %d lines, the checkpoint covers %d", n, c.size)
		} else if err != nil && err != io.EOF {
			return err
		}
		hashes, err := tlog.StoredHashes(n, bytes.TrimSuffix(line, []byte("\n")), reader)
		if err != nil {
			return err
		}
		stored = append(stored, hashes...)
	}
	root := tlog.Hash(sha256.Sum256(nil)) // RFC 9162's empty tree; tlog's own is zeros
	if n > 0 {
		if root, err = tlog.TreeHash(n, reader); err != nil {
			return err
		}
	}
	if root != c.root {
		return fmt.Errorf("REWRITTEN: the log's first %d lines have root %v, the checkpoint %v", n, root, c.root)
	}
	fmt.Printf("ok %s: the log's first %d lines have the checkpoint's root %v\n", c.origin, n, c.root)
	return nil
}
