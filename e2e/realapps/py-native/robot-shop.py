"""C extensions built from source: psycopg2 (links libpq) and lxml (links libxml2/libxslt).
Loading either fails where the shared library is missing."""
import psycopg2
import psycopg2.extensions as ext
from lxml import etree

print("psycopg2", psycopg2.__version__.split()[0], "libpq", ext.libpq_version())
print("dsn", sorted(ext.parse_dsn("host=db port=5432 dbname=shop user=robot").items()))
cart = etree.fromstring("<cart><item qty='2'>apple</item><item qty='3'>pear</item></cart>")
xslt = etree.XSLT(
    etree.fromstring(
        """<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text"/>
  <xsl:template match="/cart"><xsl:for-each select="item"><xsl:value-of select="."/>=<xsl:value-of select="@qty"/>;</xsl:for-each>total=<xsl:value-of select="sum(item/@qty)"/></xsl:template>
</xsl:stylesheet>"""
    )
)
print("xslt", str(xslt(cart)))
print("xpath", cart.xpath("count(//item)"), "libxml2", etree.LIBXML_VERSION, "libxslt", etree.LIBXSLT_VERSION)
