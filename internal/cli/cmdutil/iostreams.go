package cmdutil

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/mattn/go-isatty"
)

// IOStreams are a command's standard input, output and error, and whether
// input and output are terminals. Data goes to Out, messages and errors to
// ErrOut.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	IsStdinTTY  bool
	IsStdoutTTY bool

	lines *bufio.Reader // In, buffered once for ReadLine
}

// SystemIO returns the process's standard streams.
func SystemIO() *IOStreams {
	return &IOStreams{
		In:          os.Stdin,
		Out:         os.Stdout,
		ErrOut:      os.Stderr,
		IsStdinTTY:  IsTerminal(os.Stdin),
		IsStdoutTTY: IsTerminal(os.Stdout),
	}
}

// IsTerminal reports whether f is a terminal (or a Cygwin pty).
func IsTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// NewTestIOStreams returns IOStreams over buffers, for tests: write the
// input to in before running a command, read out and errOut after. Neither
// stream is a terminal; set IsStdinTTY or IsStdoutTTY to pretend otherwise.
func NewTestIOStreams() (ios *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = new(bytes.Buffer), new(bytes.Buffer), new(bytes.Buffer)
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// ReadLine reads one line from In and returns it without its line ending
// ("\n" or "\r\n"). Input that ends without a newline is a line too; no
// input at all is io.EOF.
// Successive calls share one buffer, so no input read ahead is lost.
func (s *IOStreams) ReadLine() (string, error) {
	if s.lines == nil {
		s.lines = bufio.NewReader(s.In)
	}
	line, err := s.lines.ReadString('\n')
	if errors.Is(err, io.EOF) && line != "" {
		err = nil
	}
	if err != nil {
		return "", err
	}
	line = strings.TrimSuffix(line, "\n")
	return strings.TrimSuffix(line, "\r"), nil
}
