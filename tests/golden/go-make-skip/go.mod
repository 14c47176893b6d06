module github.com/cloudflare/cfssl

go 1.22
