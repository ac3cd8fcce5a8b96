"""Chart builders: plain plotly figures from plain values, free of Streamlit."""
