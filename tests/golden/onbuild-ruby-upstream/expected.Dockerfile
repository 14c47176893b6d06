FROM ruby:2.5 AS build
RUN bundle config --global frozen 1
WORKDIR /usr/src/app
COPY Gemfile /usr/src/app/
COPY Gemfile.lock /usr/src/app/
RUN bundle install
COPY . /usr/src/app

FROM ruby:2.5-slim
WORKDIR /usr/src/app
COPY --from=build /usr/local/bundle /usr/local/bundle
COPY --from=build /usr/src/app /usr/src/app
CMD ["ruby", "app.rb"]
