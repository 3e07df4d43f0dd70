// SvgPlot: linear scales, nice ticks, and SVG elements with short numeric formatting.
#include "src/report/svg_plot.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace staycast::report {
namespace {

constexpr double kRight = 16, kTop = 30, kBottom = 46;

std::string Num(double v) { return fmt::format("{:.1f}", v); }

std::string TickLabel(double v) {
  if (v == 0) return "0";
  const double a = std::abs(v);
  if (a >= 1000) return fmt::format("{:.0f}", v);
  if (a >= 10) return fmt::format("{:g}", std::round(v * 10) / 10);
  return fmt::format("{:g}", std::round(v * 1000) / 1000);
}

}  // namespace

std::string Escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::vector<double> NiceTicks(double lo, double hi, int count) {
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return {lo};
  const double raw = (hi - lo) / count;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  std::vector<double> out;
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    out.push_back(std::abs(t) < step * 1e-9 ? 0 : t);
  }
  return out;
}

SvgPlot::SvgPlot(std::string id, std::string title, double x_min, double x_max, double y_min,
                 double y_max)
    : id_(std::move(id)),
      title_(std::move(title)),
      x_min_(x_min),
      x_max_(x_max > x_min ? x_max : x_min + 1),
      y_min_(y_min),
      y_max_(y_max > y_min ? y_max : y_min + 1) {}

void SvgPlot::set_y_categories(std::vector<std::string> names) {
  size_t longest = 0;
  for (const std::string& n : names) longest = std::max(longest, n.size());
  left_ = std::max(58.0, 12 + 6.2 * static_cast<double>(longest));
  y_categories_ = std::move(names);
}

double SvgPlot::PixelX(double x) const {
  return left_ + (x - x_min_) / (x_max_ - x_min_) * (width_ - left_ - kRight);
}
double SvgPlot::PixelY(double y) const {
  return height_ - kBottom - (y - y_min_) / (y_max_ - y_min_) * (height_ - kTop - kBottom);
}

void SvgPlot::Line(const std::vector<double>& x, const std::vector<double>& y,
                   const std::string& color, double width, bool dashed, const std::string& label) {
  std::string d;
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
    const double py = std::clamp(PixelY(y[i]), kTop - 4, height_ - kBottom + 4.0);
    d += (d.empty() ? "M" : "L") + Num(PixelX(x[i])) + "," + Num(py);
  }
  if (d.empty()) return;
  body_ +=
      fmt::format(R"s(<path class="series" d="{}" fill="none" stroke="{}" stroke-width="{}"{}/>)s",
                  d, color, width, dashed ? R"s( stroke-dasharray="5,4")s" : "");
  if (!label.empty()) Legend(label, color, dashed);
}

void SvgPlot::Points(const std::vector<double>& x, const std::vector<double>& y,
                     const std::string& color, double radius, double opacity) {
  body_ += fmt::format(R"s(<g class="points" fill="{}" fill-opacity="{}">)s", color, opacity);
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
    body_ += fmt::format(R"s(<circle cx="{}" cy="{}" r="{}"/>)s", Num(PixelX(x[i])),
                         Num(PixelY(y[i])), radius);
  }
  body_ += "</g>";
}

void SvgPlot::ColoredPoints(const std::vector<double>& x, const std::vector<double>& y,
                            const std::vector<std::string>& colors, double radius) {
  body_ += R"s(<g class="points" fill-opacity="0.75">)s";
  for (size_t i = 0; i < x.size() && i < y.size() && i < colors.size(); ++i) {
    body_ += fmt::format(R"s(<circle cx="{}" cy="{}" r="{}" fill="{}"/>)s", Num(PixelX(x[i])),
                         Num(PixelY(y[i])), radius, colors[i]);
  }
  body_ += "</g>";
}

void SvgPlot::Rect(double x0, double x1, double y0, double y1, const std::string& color,
                   double opacity, const std::string& tooltip) {
  const double px0 = PixelX(std::min(x0, x1)), px1 = PixelX(std::max(x0, x1));
  const double py0 = PixelY(std::max(y0, y1)), py1 = PixelY(std::min(y0, y1));
  body_ += fmt::format(
      R"s(<rect x="{}" y="{}" width="{}" height="{}" fill="{}" fill-opacity="{}">)s", Num(px0),
      Num(py0), Num(std::max(0.5, px1 - px0)), Num(std::max(0.5, py1 - py0)), color, opacity);
  if (!tooltip.empty()) body_ += "<title>" + Escape(tooltip) + "</title>";
  body_ += "</rect>";
}

void SvgPlot::Text(double x, double y, const std::string& text, const std::string& anchor,
                   const std::string& color) {
  body_ +=
      fmt::format(R"s(<text x="{}" y="{}" text-anchor="{}" fill="{}" font-size="11">{}</text>)s",
                  Num(PixelX(x)), Num(PixelY(y)), anchor, color, Escape(text));
}

void SvgPlot::Segment(double x0, double y0, double x1, double y1, const std::string& color,
                      double width) {
  body_ +=
      fmt::format(R"s(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"/>)s",
                  Num(PixelX(x0)), Num(PixelY(y0)), Num(PixelX(x1)), Num(PixelY(y1)), color, width);
}

void SvgPlot::Legend(const std::string& label, const std::string& color, bool dashed) {
  legend_.push_back({label, {color, dashed}});
}

std::string SvgPlot::Render() const {
  std::string s = fmt::format(
      R"s(<svg id="{}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" )s"
      R"s(width="{}" height="{}" role="img" aria-label="{}">)s",
      id_, width_, height_, width_, height_, Escape(title_));
  s += fmt::format(R"s(<text x="{}" y="18" class="chart-title" text-anchor="middle">{}</text>)s",
                   width_ / 2, Escape(title_));
  const double x0 = PixelX(x_min_), x1 = PixelX(x_max_), y0 = PixelY(y_min_), y1 = PixelY(y_max_);
  s += R"s(<g class="axes" stroke="#ccc" stroke-width="1">)s";
  for (size_t i = 0; i < y_categories_.size(); ++i) {
    s += fmt::format(
        R"s(<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#333" stroke="none">{}</text>)s",
        Num(x0 - 6), Num(PixelY(static_cast<double>(i)) + 4), Escape(y_categories_[i]));
  }
  for (double t : y_categories_.empty() ? NiceTicks(y_min_, y_max_) : std::vector<double>{}) {
    s += fmt::format(R"s(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#eee"/>)s", Num(x0),
                     Num(PixelY(t)), Num(x1), Num(PixelY(t)));
    s += fmt::format(
        R"s(<text x="{}" y="{}" text-anchor="end" font-size="10" fill="#555" stroke="none">{}</text>)s",
        Num(x0 - 5), Num(PixelY(t) + 3), TickLabel(t));
  }
  if (x_categories_.empty()) {
    for (double t : NiceTicks(x_min_, x_max_)) {
      s += fmt::format(R"s(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#eee"/>)s", Num(PixelX(t)),
                       Num(y0), Num(PixelX(t)), Num(y1));
      s += fmt::format(
          R"s(<text x="{}" y="{}" text-anchor="middle" font-size="10" fill="#555" stroke="none">{}</text>)s",
          Num(PixelX(t)), Num(y0 + 14), TickLabel(t));
    }
  } else {
    for (size_t i = 0; i < x_categories_.size(); ++i) {
      s += fmt::format(
          R"s(<text x="{}" y="{}" text-anchor="middle" font-size="10" fill="#555" stroke="none">{}</text>)s",
          Num(PixelX(static_cast<double>(i))), Num(y0 + 14), Escape(x_categories_[i]));
    }
  }
  s += fmt::format(R"s(<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#999"/>)s",
                   Num(x0), Num(y1), Num(x1 - x0), Num(y0 - y1));
  s += "</g>";
  s += fmt::format(R"s(<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>)s",
                   Num((x0 + x1) / 2), height_ - 8, Escape(x_label_));
  s += fmt::format(
      R"s(<text x="14" y="{}" text-anchor="middle" font-size="11" transform="rotate(-90 14 {})">{}</text>)s",
      Num((y0 + y1) / 2), Num((y0 + y1) / 2), Escape(y_label_));
  s += R"s(<g class="data">)s" + body_ + "</g>";
  double ly = y1 + 14;
  for (const auto& [label, style] : legend_) {
    s += fmt::format(R"s(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"{}/>)s"
                     R"s(<text x="{}" y="{}" font-size="10" fill="#333">{}</text>)s",
                     Num(x1 - 150), Num(ly), Num(x1 - 128), Num(ly), style.first,
                     style.second ? R"s( stroke-dasharray="5,4")s" : "", Num(x1 - 124), Num(ly + 3),
                     Escape(label));
    ly += 14;
  }
  s += "</svg>";
  return s;
}

}  // namespace staycast::report
