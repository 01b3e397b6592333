// Command checkpointcheck checks msix-pool's signed checkpoints and Merkle proofs with code we did
// not write: golang.org/x/mod/sumdb/note opens the C2SP signed note with the verifier key, and
// golang.org/x/mod/sumdb/tlog computes the RFC 6962 tree hash of the exported log's lines and checks
// inclusion (tlog.CheckRecord) and consistency (tlog.CheckTree) proofs. Only the checkpoint body's
// three lines (origin, size, base64 root: C2SP tlog-checkpoint) are read here by hand.
//
// Built in GOPATH mode from Debian's golang-go and golang-golang-x-mod-dev (replay's
// GoCheckpointCheckTest). Exit 0 and "ok ..." when the check passes; exit 1 and the reason when it
// fails; exit 2 for bad usage.
//
//	checkpointcheck checkpoint VKEY CHECKPOINT LOG      the note's signature, and its root = the tree of LOG's first size lines
//	checkpointcheck inclusion VKEY CHECKPOINT INDEX LINE PROOF   line INDEX (file LINE, one line) is in the checkpoint's tree
//	checkpointcheck consistency VKEY OLD NEW PROOF      checkpoint OLD's tree is a prefix of checkpoint NEW's
//	checkpointcheck prove LOG SIZE INDEX                tlog's own inclusion proof, one base64 hash a line
//	checkpointcheck prove-tree LOG SIZE OLDSIZE         tlog's own consistency proof
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch args := os.Args[2:]; os.Args[1] {
	case "checkpoint":
		need(args, 3)
		err = checkCheckpoint(args[0], args[1], args[2])
	case "inclusion":
		need(args, 5)
		err = checkInclusion(args[0], args[1], number(args[2]), args[3], args[4])
	case "consistency":
		need(args, 4)
		err = checkConsistency(args[0], args[1], args[2], args[3])
	case "prove":
		need(args, 3)
		err = prove(args[0], number(args[1]), number(args[2]), false)
	case "prove-tree":
		need(args, 3)
		err = prove(args[0], number(args[1]), number(args[2]), true)
	default:
		usage()
	}
	if err != nil {
		fmt.Println("FAILED:", err)
		os.Exit(1)
	}
}

type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

// openCheckpoint opens the signed note with the verifier key and reads its body.
func openCheckpoint(vkeyFile, file string) (checkpoint, error) {
	vkey, err := os.ReadFile(vkeyFile)
	if err != nil {
		return checkpoint{}, err
	}
	verifier, err := note.NewVerifier(strings.TrimSpace(string(vkey)))
	if err != nil {
		return checkpoint{}, fmt.Errorf("verifier key: %v", err)
	}
	msg, err := os.ReadFile(file)
	if err != nil {
		return checkpoint{}, err
	}
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		return checkpoint{}, fmt.Errorf("note.Open: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(n.Text, "\n"), "\n")
	if len(lines) < 3 {
		return checkpoint{}, errors.New("a checkpoint body has 3 lines or more")
	}
	if lines[0] != verifier.Name() {
		return checkpoint{}, fmt.Errorf("origin %q is not the key name %q", lines[0], verifier.Name())
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return checkpoint{}, fmt.Errorf("tree size %q", lines[1])
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		return checkpoint{}, fmt.Errorf("root hash %q: %v", lines[2], err)
	}
	return checkpoint{lines[0], size, root}, nil
}

// treeHash is tlog's RFC 6962 tree hash of the first n lines of the log; RFC 9162 gives the empty
// tree SHA-256 of nothing, where tlog (for its own sumdb) answers zeros.
func treeHash(lines [][]byte, n int64) (tlog.Hash, error) {
	if n == 0 {
		return tlog.Hash(sha256.Sum256(nil)), nil
	}
	stored, err := storedHashes(lines, n)
	if err != nil {
		return tlog.Hash{}, err
	}
	return tlog.TreeHash(n, reader(stored))
}

func checkCheckpoint(vkeyFile, file, logFile string) error {
	c, err := openCheckpoint(vkeyFile, file)
	if err != nil {
		return err
	}
	lines, err := readLog(logFile)
	if err != nil {
		return err
	}
	if int64(len(lines)) < c.size {
		return fmt.Errorf("the log has %d lines, the checkpoint %d", len(lines), c.size)
	}
	root, err := treeHash(lines, c.size)
	if err != nil {
		return err
	}
	if root != c.root {
		return fmt.Errorf("the tree of the log's first %d lines has root %v, the checkpoint %v", c.size, root, c.root)
	}
	fmt.Printf("ok checkpoint %s %d %v\n", c.origin, c.size, c.root)
	return nil
}

func checkInclusion(vkeyFile, file string, index int64, lineFile, proofFile string) error {
	c, err := openCheckpoint(vkeyFile, file)
	if err != nil {
		return err
	}
	line, err := os.ReadFile(lineFile)
	if err != nil {
		return err
	}
	proof, err := readProof(proofFile)
	if err != nil {
		return err
	}
	if err := tlog.CheckRecord(tlog.RecordProof(proof), c.size, c.root, index, tlog.RecordHash(bytes.TrimSuffix(line, []byte("\n")))); err != nil {
		return err
	}
	fmt.Printf("ok inclusion %d in %d\n", index, c.size)
	return nil
}

func checkConsistency(vkeyFile, oldFile, newFile, proofFile string) error {
	older, err := openCheckpoint(vkeyFile, oldFile)
	if err != nil {
		return err
	}
	newer, err := openCheckpoint(vkeyFile, newFile)
	if err != nil {
		return err
	}
	proof, err := readProof(proofFile)
	if err != nil {
		return err
	}
	if err := tlog.CheckTree(tlog.TreeProof(proof), newer.size, newer.root, older.size, older.root); err != nil {
		return err
	}
	fmt.Printf("ok consistency %d -> %d\n", older.size, newer.size)
	return nil
}

func prove(logFile string, size, other int64, tree bool) error {
	lines, err := readLog(logFile)
	if err != nil {
		return err
	}
	if size > int64(len(lines)) {
		return fmt.Errorf("the log has %d lines", len(lines))
	}
	stored, err := storedHashes(lines, size)
	if err != nil {
		return err
	}
	var proof []tlog.Hash
	if tree {
		proof, err = tlog.ProveTree(size, other, reader(stored))
	} else {
		proof, err = tlog.ProveRecord(size, other, reader(stored))
	}
	if err != nil {
		return err
	}
	for _, h := range proof {
		fmt.Println(base64.StdEncoding.EncodeToString(h[:]))
	}
	return nil
}

// storedHashes is tlog's storage of the tree of the first n lines: every hash it keeps, in its order.
func storedHashes(lines [][]byte, n int64) ([]tlog.Hash, error) {
	var stored []tlog.Hash
	for i := int64(0); i < n; i++ {
		hashes, err := tlog.StoredHashes(i, lines[i], reader(stored))
		if err != nil {
			return nil, err
		}
		stored = append(stored, hashes...)
	}
	return stored, nil
}

func reader(stored []tlog.Hash) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		return pick(stored, indexes), nil
	})
}

func pick(stored []tlog.Hash, indexes []int64) []tlog.Hash {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		out[i] = stored[x]
	}
	return out
}

// readLog reads the exported log: one event a line, each line ending in a newline.
func readLog(file string) ([][]byte, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, nil
	}
	if data[len(data)-1] != '\n' {
		return nil, errors.New("the log's last line has no newline")
	}
	return bytes.Split(data[:len(data)-1], []byte("\n")), nil
}

func readProof(file string) ([]tlog.Hash, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var proof []tlog.Hash
	for _, line := range strings.Fields(string(data)) {
		h, err := tlog.ParseHash(line)
		if err != nil {
			return nil, fmt.Errorf("proof hash %q: %v", line, err)
		}
		proof = append(proof, h)
	}
	return proof, nil
}

func number(text string) int64 {
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		usage()
	}
	return n
}

func need(args []string, n int) {
	if len(args) != n {
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: checkpointcheck checkpoint VKEY CHECKPOINT LOG | inclusion VKEY CHECKPOINT INDEX LINE PROOF | consistency VKEY OLD NEW PROOF | prove LOG SIZE INDEX | prove-tree LOG SIZE OLDSIZE")
	os.Exit(2)
}
