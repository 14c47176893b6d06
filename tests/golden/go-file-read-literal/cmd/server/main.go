package main

import (
	"fmt"
	"os"
)

func main() {
	words, err := os.ReadFile("data/words.txt")
	if err != nil {
		panic(err)
	}
	fmt.Print(string(words))
}
