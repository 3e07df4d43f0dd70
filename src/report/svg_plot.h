// A small SVG plotting helper for the HTML report: axes with ticks, lines, points, rectangles and
// text on linear scales. Every plot is an <svg class="chart" id=...> that tests can find.
#pragma once

#include <string>
#include <vector>

namespace staycast::report {

// Escapes &, <, >, " and ' for HTML text and attributes.
std::string Escape(const std::string& text);

class SvgPlot {
 public:
  SvgPlot(std::string id, std::string title, double x_min, double x_max, double y_min,
          double y_max);

  void set_labels(std::string x_label, std::string y_label) {
    x_label_ = std::move(x_label);
    y_label_ = std::move(y_label);
  }
  void set_size(int width, int height) {
    width_ = width;
    height_ = height;
  }
  // Category names under the x axis at x = 0..n-1 (bar charts) instead of numeric ticks.
  void set_x_categories(std::vector<std::string> names) { x_categories_ = std::move(names); }
  // Category names left of the y axis at y = 0..n-1 (horizontal bars) instead of numeric ticks;
  // the left margin grows to fit them.
  void set_y_categories(std::vector<std::string> names);

  void Line(const std::vector<double>& x, const std::vector<double>& y, const std::string& color,
            double width = 2, bool dashed = false, const std::string& label = "");
  void Points(const std::vector<double>& x, const std::vector<double>& y, const std::string& color,
              double radius = 2.2, double opacity = 0.45);
  // Points with one colour each.
  void ColoredPoints(const std::vector<double>& x, const std::vector<double>& y,
                     const std::vector<std::string>& colors, double radius = 2.2);
  // A rectangle in data coordinates [x0, x1] x [y0, y1].
  void Rect(double x0, double x1, double y0, double y1, const std::string& color,
            double opacity = 0.85, const std::string& tooltip = "");
  void Text(double x, double y, const std::string& text, const std::string& anchor = "middle",
            const std::string& color = "#333");
  // A vertical or horizontal error bar in data coordinates.
  void Segment(double x0, double y0, double x1, double y1, const std::string& color,
               double width = 1.5);
  void Legend(const std::string& label, const std::string& color, bool dashed = false);

  std::string Render() const;

  double PixelX(double x) const;
  double PixelY(double y) const;

 private:
  std::string id_, title_, x_label_, y_label_;
  double x_min_, x_max_, y_min_, y_max_;
  int width_ = 520, height_ = 340;
  std::vector<std::string> x_categories_, y_categories_;
  double left_ = 58;
  std::string body_;
  std::vector<std::pair<std::string, std::pair<std::string, bool>>> legend_;
};

// "Nice" tick values covering [lo, hi] (about `count` of them).
std::vector<double> NiceTicks(double lo, double hi, int count = 5);

}  // namespace staycast::report
