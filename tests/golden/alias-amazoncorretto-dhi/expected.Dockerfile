FROM dhi.io/eclipse-temurin:21-jdk-debian13-dev AS build
USER root
WORKDIR /app
COPY . .
RUN ./mvnw -B package -DskipTests

FROM dhi.io/eclipse-temurin:21-debian13
WORKDIR /app
COPY --from=build /app/target/app.jar /app/target/app.jar
EXPOSE 8080
CMD ["java", "-jar", "target/app.jar"]
