"""Pure forecasting maths: dates, probabilities, aggregation, scoring, calibration, charts."""
