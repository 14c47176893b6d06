FROM openjdk:17 AS build
WORKDIR /src
COPY . .
RUN javac -d out Main.java && jar cfe app.jar Main -C out .

FROM eclipse-temurin:17-jre
WORKDIR /src
COPY --from=build /src/app.jar /src/app.jar
CMD ["java", "-jar", "app.jar"]
