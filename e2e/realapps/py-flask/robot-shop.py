"""A Flask service: JSON from a route, a template rendered by Jinja2."""
import flask
from flask import Flask, jsonify, render_template_string

app = Flask(__name__)


@app.route("/")
def index():
    page = render_template_string("<ul>{% for p in products %}<li>{{ p|upper }}</li>{% endfor %}</ul>", products=["robot", "toaster"])
    return jsonify(service="flask", page=page, flask=flask.__version__ if hasattr(flask, "__version__") else "3")


if __name__ == "__main__":
    print("serving on 8080", flush=True)
    app.run(host="0.0.0.0", port=8080)
