# syntax=docker/dockerfile:1
FROM golang:1.22 AS build
ENV CGO_ENABLED=0
WORKDIR /src
COPY . .
RUN go vet ./... \
	# lint first
	&& go build \
    # output next to the sources
    -o app .

FROM gcr.io/distroless/static-debian12
WORKDIR /src
COPY --from=build /src/app /src/app
	EXPOSE 8080
ENTRYPOINT ["./app"]
