FROM alpine:3.20
RUN apk add --no-cache ruby ruby-dev build-base
WORKDIR /app
COPY . .
RUN gem install bundler && bundle install
CMD ["bundle", "exec", "ruby", "app.rb"]
