// Command hubauth is the hubauth CLI and server: see internal/cli.
package main

import (
	"os"

	"github.com/hubauth/hubauth/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.System()))
}
