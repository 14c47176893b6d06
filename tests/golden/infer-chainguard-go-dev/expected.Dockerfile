FROM cgr.dev/chainguard/go:latest-dev AS build
ENV CGO_ENABLED=0
WORKDIR /src
COPY . .
RUN go build -o /out/server .

FROM cgr.dev/chainguard/static:latest
WORKDIR /src
COPY --from=build /out/server /out/server
CMD ["/out/server"]
