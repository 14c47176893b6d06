FROM reg.mini.dev/openjdk:21-dev AS build
USER root
WORKDIR /app
COPY . .
RUN ./mvnw -B package -DskipTests

FROM reg.mini.dev/openjre:21
WORKDIR /app
COPY --from=build /app/target/app.jar /app/target/app.jar
EXPOSE 8080
CMD ["java", "-jar", "target/app.jar"]
