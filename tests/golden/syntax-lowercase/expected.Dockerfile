from golang:1.22 as build
env CGO_ENABLED=0
workdir /app
copy . .
run go build -o app .

from gcr.io/distroless/static-debian12
workdir /app
copy --from=build /app/app /app/app
expose 9000
cmd ["./app"]
