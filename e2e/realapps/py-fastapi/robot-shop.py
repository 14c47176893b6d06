"""A FastAPI service served by uvicorn, with a pydantic model validated on each request."""
import fastapi
import pydantic
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel, Field

app = FastAPI()


class Item(BaseModel):
    id: int
    name: str
    price: float = Field(gt=0)


@app.get("/items/{item_id}")
def item(item_id: int) -> dict:
    it = Item(id=item_id, name=f"robot-{item_id}", price=item_id * 1.5 + 1)
    return {"item": it.model_dump(), "schema": sorted(Item.model_json_schema()["properties"]), "fastapi": fastapi.__version__, "pydantic": pydantic.VERSION}


if __name__ == "__main__":
    print("serving on 8080", flush=True)
    uvicorn.run(app, host="0.0.0.0", port=8080, log_level="warning")
