import CGSL

/// The Sobol' low-discrepancy sequence in the unit cube [0, 1)^d, from GSL's
/// `gsl_qrng_sobol` (Antonov–Saleev Gray-code order, direction numbers of Bratley & Fox 1988),
/// owned uniquely.
///
/// **Indexing and the origin.** Point 0 of the Sobol' sequence is the origin (0, …, 0), but
/// GSL never returns it: its first point is (½, …, ½), which is point 1 (checked against
/// GSL 2.7.1 and its source, `qrng/sobol.c`). This type puts the origin back, so point n here
/// is point n of the sequence as published, and the first 2^m points form a digital
/// (t, m, d)-net (as does every block of 2^m points starting at a multiple of 2^m): in each
/// coordinate they take every value j/2^m, j = 0 … 2^m − 1, exactly once, and in the first two
/// coordinates every dyadic box of area 2^−m holds exactly one of them (t = 0 there).
/// GSL's own first 2^m points (points 1 … 2^m) are not a net: point 2^m takes the origin's
/// place and lands in a cell that is already occupied.
///
/// **The open cube.** Quantile functions need probabilities strictly inside (0, 1), and the
/// origin is not. ``centredPoints(dimension:count:)`` moves every coordinate of the first
/// `count` points up by half a cell, 2^−(m+1) with 2^m ≥ `count`, instead of skipping the
/// origin. Skipping it (the habit GSL bakes in) leaves n points that are not a net and, as
/// Owen (2020, "On dropping the first Sobol' point", arXiv:2008.08051) shows, can cut the
/// convergence rate back to that of plain Monte Carlo; the half-cell shift keeps every point
/// inside its elementary box, so the shifted points are still a net, and with `count` = 2^m
/// each coordinate takes each midpoint (j + ½)/2^m exactly once — the midpoint rule in every
/// margin, symmetric about ½, never nearer to 0 or 1 than 2^−(m+1).
///
/// **Limits.** GSL's Sobol' generator supports 1 … 40 dimensions (``maximumDimension``;
/// GSL manual, "Quasi-Random Sequences") and 30-bit coordinates, so the sequence has
/// ``capacity`` = 2^30 points and every coordinate is a multiple of 2^−30. A dimension
/// outside 1 … 40 is a ``GSLError`` here: `gsl_qrng_alloc` does not check it and would write
/// past the end of its fixed 40-column direction table.
///
/// A `gsl_qrng` is not thread-safe and must be freed once, hence `~Copyable`; it is freed when
/// the value goes out of scope.
public struct QuasiRandom: ~Copyable {
    private let generator: UnsafeMutablePointer<gsl_qrng>
    /// The number of coordinates of each point.
    public let dimension: Int
    /// The index of the point the next call to ``next()`` returns (0 for a new sequence).
    public private(set) var index: Int = 0

    /// The largest dimension GSL's Sobol' generator supports (40), read from GSL.
    public static var maximumDimension: Int {
        Int(crmcase_qrng_sobol().pointee.max_dimension)
    }

    /// The number of points in the sequence, 2^30: GSL computes with 30-bit integers and
    /// reports failure after point 2^30 − 1.
    public static let capacity = 1 << 30

    /// The Sobol' sequence in `dimension` dimensions, starting at point 0 (the origin).
    ///
    /// - Throws: ``GSLError`` with `GSL_EINVAL` when `dimension` is outside
    ///   1 … ``maximumDimension``, `GSL_ENOMEM` when GSL cannot allocate the generator.
    public init(dimension: Int) throws(GSLError) {
        GSL.prepare()
        let maximum = Self.maximumDimension
        guard (1...maximum).contains(dimension) else {
            throw GSLError(
                status: Int32(GSL_EINVAL),
                context: "a Sobol' sequence in \(dimension) dimensions (GSL supports 1 to \(maximum))")
        }
        guard let generator = gsl_qrng_alloc(crmcase_qrng_sobol(), UInt32(dimension)) else {
            throw GSLError(status: Int32(GSL_ENOMEM), context: "allocating a \(dimension)-dimensional Sobol' sequence")
        }
        self.generator = generator
        self.dimension = dimension
    }

    deinit {
        gsl_qrng_free(generator)
    }

    /// Writes point ``index`` into `point` (which must hold ``dimension`` values) and moves on.
    /// Coordinates lie in [0, 1) and are multiples of 2^−30; point 0 is the origin.
    ///
    /// - Throws: ``GSLError`` with `GSL_EFAILED` once all ``capacity`` points are used
    ///   (`point` is then unchanged).
    public mutating func next(into point: inout [Double]) throws(GSLError) {
        precondition(point.count == dimension, "a \(dimension)-dimensional point needs \(dimension) coordinates")
        if index == 0 {
            for i in point.indices { point[i] = 0 }
        } else {
            let status = point.withUnsafeMutableBufferPointer { gsl_qrng_get(generator, $0.baseAddress) }
            guard status == Int32(GSL_SUCCESS) else {
                throw GSLError(
                    status: status,
                    context: "drawing Sobol' point \(index) (the sequence has \(Self.capacity) points)")
            }
        }
        index += 1
    }

    /// Point ``index`` of the sequence, in [0, 1)^d; see ``next(into:)``.
    public mutating func next() throws(GSLError) -> [Double] {
        var point = [Double](repeating: 0, count: dimension)
        try next(into: &point)
        return point
    }

    /// Moves past `count` ≥ 0 points, so that the next point is number ``index`` + `count`.
    ///
    /// GSL has no jump-ahead, so this draws and discards the points: it costs `count`·d
    /// operations. To keep the net property, skip a multiple of the block size you will use.
    ///
    /// - Throws: ``GSLError`` with `GSL_EFAILED` when that would pass the ``capacity``
    ///   (nothing is skipped then), `GSL_EINVAL` for a negative count.
    public mutating func skip(_ count: Int) throws(GSLError) {
        guard count >= 0 else {
            throw GSLError(status: Int32(GSL_EINVAL), context: "skipping \(count) Sobol' points")
        }
        guard count <= Self.capacity - index else {
            throw GSLError(
                status: Int32(GSL_EFAILED),
                context: "skipping \(count) Sobol' points from point \(index) (the sequence has \(Self.capacity) points)")
        }
        guard count > 0 else { return }
        var scratch = [Double](repeating: 0, count: dimension)
        for _ in 0..<count {
            try next(into: &scratch)
        }
    }

    /// Starts the sequence again at point 0.
    public mutating func restart() {
        gsl_qrng_init(generator)
        index = 0
    }

    /// Half the width of the finest dyadic cell needed for `count` points: 2^−(m+1), with
    /// 2^m the smallest power of two ≥ `count` (½ for a single point).
    ///
    /// The first `count` points have coordinates that are multiples of 2^−m (they belong to
    /// the first 2^m points, whose coordinates are exactly {j/2^m}), so adding this value maps
    /// them into [2^−(m+1), 1 − 2^−(m+1)], strictly inside (0, 1), exactly (no rounding).
    public static func halfCell(forCount count: Int) -> Double {
        precondition(count >= 1, "at least one point")
        let m = count <= 1 ? 0 : Int.bitWidth - (count - 1).leadingZeroBitCount
        return Double(sign: .plus, exponent: -(m + 1), significand: 1)
    }

    /// Points 0 ..< `count` of the `dimension`-dimensional sequence, every coordinate moved up
    /// by ``halfCell(forCount:)``, as one row-major array (`count` rows of `dimension` values),
    /// all strictly inside (0, 1) and ready for quantile functions.
    ///
    /// With `count` = 2^m the rows are a net shifted by half its finest cell: each coordinate
    /// takes every value (j + ½)/2^m exactly once, so each coordinate's mean is exactly ½.
    ///
    /// - Throws: ``GSLError`` with `GSL_EINVAL` for a dimension outside 1 … 40 or a count
    ///   outside 1 … ``capacity``.
    public static func centredPoints(dimension: Int, count: Int) throws(GSLError) -> [Double] {
        guard (1...capacity).contains(count) else {
            throw GSLError(
                status: Int32(GSL_EINVAL),
                context: "\(count) Sobol' points (the sequence has 1 to \(capacity))")
        }
        var sequence = try QuasiRandom(dimension: dimension)
        let shift = halfCell(forCount: count)
        var rows = [Double](repeating: 0, count: count * dimension)
        var point = [Double](repeating: 0, count: dimension)
        for row in 0..<count {
            try sequence.next(into: &point)
            for i in 0..<dimension {
                rows[row * dimension + i] = point[i] + shift
            }
        }
        return rows
    }
}
