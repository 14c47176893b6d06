FROM golang:1.22 AS build
ENV CGO_ENABLED=0
WORKDIR /src
COPY . .
RUN python3 <<EOF
print("generating")
EOF
RUN <<A cat > gen.txt && cat 3<<-B >> gen.txt
first
A
	second
	B
COPY <<EOF /etc/app.conf
port=8080
EOF
RUN go build -o /usr/local/bin/app .

FROM gcr.io/distroless/static-debian12
WORKDIR /src
COPY --from=build /usr/local/bin/app /usr/local/bin/app
COPY --from=build /etc/app.conf /etc/app.conf
CMD ["app"]
