FROM ubuntu:24.04 AS build
RUN apt-get update && apt-get install -y --no-install-recommends golang-go git ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/hello .

FROM ubuntu:24.04
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/hello /usr/local/bin/hello
EXPOSE 8080
CMD ["hello"]
