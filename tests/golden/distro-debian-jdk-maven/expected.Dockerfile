FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends default-jdk maven && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN mvn -B package

FROM debian:bookworm
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends default-jre-headless && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/target/app.jar /app/target/app.jar
CMD ["java", "-jar", "target/app.jar"]
