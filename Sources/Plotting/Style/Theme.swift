/// The charts' fixed look: type sizes, greys and spacing, in one place so every chart type
/// matches.
enum Theme {
    static let fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"
    static let titleSize = 16.0
    static let panelTitleSize = 13.5
    static let subtitleSize = 12.0
    static let axisTitleSize = 12.5
    static let tickLabelSize = 11.0
    static let legendSize = 12.0
    static let footnoteSize = 10.5
    static let valueLabelSize = 10.0

    static let text = Color(hex: 0x222222)
    static let mutedText = Color(hex: 0x555555)
    static let axisLine = Color(hex: 0x444444)
    static let gridLine = Color(hex: 0xE3E3E3)
    static let zeroLine = Color(hex: 0xA0A0A0)
    static let missing = Color(hex: 0xD9D9D9)
    static let background = Color.white

    static let padding = 12.0
    static let tickLength = 5.0
    static let lineWidth = 2.0
    static let markerRadius = 3.6
    static let legendRowHeight = 18.0
    static let legendSampleWidth = 30.0
    static let footnoteLineHeight = 14.0
}
