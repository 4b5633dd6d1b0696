namespace Walkthrough.Display;

/// <summary>Linear, or logarithmic: a log axis shows 0.998 and 0.0001 on one chart, each readable.</summary>
public enum AxisScale
{
    Linear,
    Log,
}
