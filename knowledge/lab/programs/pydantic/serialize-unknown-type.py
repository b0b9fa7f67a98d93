"""Values the json module cannot serialize: datetimes and Decimals in a JSONResponse, an unawaited coroutine in a model."""
import json
from datetime import datetime, timezone
from decimal import Decimal

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel

import labkit
from kits import app_stack as kit


class OrderRead(BaseModel):
    id: int
    total: Decimal
    created_at: datetime


def builtin_value(fix):
    """POST /orders returns JSONResponse(content=data) where data holds a datetime and a Decimal."""
    kit.expect_fix(fix, "jsonable-encoder", "json-default-str", "model-dump-json-mode", "model-dump-json-mode/v1-json")
    app = FastAPI()
    data = {"id": 1, "total": Decimal("9.90"), "created_at": datetime(2026, 1, 5, tzinfo=timezone.utc)}

    @app.post("/orders")
    def create_order():
        if fix == "jsonable-encoder":
            return JSONResponse(content=jsonable_encoder(data), status_code=201)
        if fix == "json-default-str":
            return JSONResponse(content=json.loads(json.dumps(data, default=str)), status_code=201)
        if fix == "model-dump-json-mode":
            payload = OrderRead.model_validate(data).model_dump(mode="json")
            json.dumps(payload)
            return JSONResponse(content=payload, status_code=201)
        if fix == "model-dump-json-mode/v1-json":
            payload = json.loads(OrderRead.parse_obj(data).json())
            return JSONResponse(content=payload, status_code=201)
        return JSONResponse(content=data, status_code=201)

    assert kit.test_client(app).post("/orders").status_code == 201


# one line below, so a traceback's source line never shows scenario names
SCENARIOS = {
    "builtin-value": builtin_value,
}

labkit.run(SCENARIOS)
