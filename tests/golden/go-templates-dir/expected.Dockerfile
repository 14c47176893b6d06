FROM golang:1.22 AS build
ENV CGO_ENABLED=0
WORKDIR /app
COPY . .
RUN go build -o web .

FROM gcr.io/distroless/static-debian12
WORKDIR /app
COPY --from=build /app/web /app/web
COPY --from=build /app/templates /app/templates
EXPOSE 8080
CMD ["./web"]
