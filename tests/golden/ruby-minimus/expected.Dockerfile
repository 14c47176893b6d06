FROM reg.mini.dev/ruby:3.3.4-dev AS build
USER root
WORKDIR /app
COPY . .
RUN bundle install

FROM reg.mini.dev/ruby:3.3.4
WORKDIR /app
COPY --from=build /usr/local/bundle /usr/local/bundle
COPY --from=build /app /app
CMD ["ruby", "app.rb"]
